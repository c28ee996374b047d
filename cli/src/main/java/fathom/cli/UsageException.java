package fathom.cli;

/** A command line that names an unknown option, lacks a required one or gives a malformed value; exit code 2. */
final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
        super(message);
    }
}
