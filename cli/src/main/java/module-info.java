/** The {@code fathom} command: demo, train, eval, predict, summary, bench and machine info. */
module fathom.cli {
    requires fathom.models;
    requires fathom.cpu;
    requires org.apache.commons.cli;
    requires java.management;
    requires jdk.management;
}
