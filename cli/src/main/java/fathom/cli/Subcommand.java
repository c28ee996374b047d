package fathom.cli;

/** One {@code fathom} subcommand: its options, declared in code, and what it does once they are set. */
interface Subcommand {
    /** Declares the options and positional parameters, each bound to a field of this command. */
    void declare(Options options);

    /** Runs the command; returns the process's exit code. */
    int run() throws Exception;
}
