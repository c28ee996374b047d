package fathom.data.text;

import java.io.IOException;
import java.nio.file.Path;

/** A {@link TextCorpus} source is not on this machine: the message names the file and the Debian package that installs it. */
public final class CorpusNotInstalledException extends IOException {
    private final String debianPackage;
    private final Path file;

    CorpusNotInstalledException(String what, Path file, String debianPackage) {
        super(what + " is not installed: " + file + " is missing. Install it with: sudo apt-get install " + debianPackage
                + " (if the package is installed and the file is still missing, dpkg may be set to leave out documentation"
                + " files; see /etc/dpkg/dpkg.cfg.d/)");
        this.debianPackage = debianPackage;
        this.file = file;
    }

    /** The Debian package to install. */
    public String debianPackage() {
        return debianPackage;
    }

    /** The file that is missing. */
    public Path file() {
        return file;
    }
}
