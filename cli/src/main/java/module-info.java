/** The {@code fathom} command: demo, benchmarks and machine info. */
module fathom.cli {
    requires fathom.core;
    requires fathom.cpu;
    requires info.picocli;

    opens fathom.cli to info.picocli;
}
