package io.sorthub.kit.config;

/** A setting that cannot be read; the message names it and where it came from (file and line, or variable). */
public final class SettingsException extends Exception {
    public SettingsException(String message) {
        super(message);
    }
}
