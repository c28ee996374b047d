package fathom.io;

import java.io.IOException;

/** A safetensors file breaks the format; the message names the file and the rule it breaks. */
public class SafetensorsException extends IOException {
    public SafetensorsException(String message) {
        super(message);
    }
}
