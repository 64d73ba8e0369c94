package io.sorthub.kit.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Is a file that holds secrets (tokens, device credentials, a TLS key, a gateway's credential)
 * kept to its owner? Others able to write it could let themselves in: refused. Others able to
 * read it could read the secrets: said loudly at start and at each reload, with the fix.
 */
public final class SecretFile {
    /** What is wrong with a secrets file; {@code refuse} when the service must not use it. */
    public record Problem(boolean refuse, String message) {
    }

    private SecretFile() {
    }

    /** @return the problem with {@code file}, named by its setting {@code key}, or null when it is owner-only */
    public static Problem check(String key, Path file) {
        try {
            final String open = OwnerOnly.openToOthers(file);
            if (open == null) {
                return null;
            }
            if (OwnerOnly.writableByOthers(file)) {
                return new Problem(true, key + " " + file + " is " + open + ": others may write the secrets in it; "
                    + "run chmod 600 " + file);
            }
            return new Problem(false, key + " " + file + " is " + open + ": others may read the secrets in it; "
                + "run chmod 600 " + file);
        } catch (IOException e) {
            return null; // unreadable: the service's own read of it reports that
        }
    }
}
