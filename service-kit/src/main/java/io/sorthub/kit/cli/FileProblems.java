package io.sorthub.kit.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong with a file, in words: the JDK's exceptions carry only the path as their
 * message ({@code NoSuchFileException: nope.yaml}), which says nothing to an operator.
 */
public final class FileProblems {
    private FileProblems() {
    }

    /** {@code FILE: no such file or directory}, {@code FILE: permission denied}, ... */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            final String what = f instanceof NoSuchFileException ? "no such file or directory"
                : f instanceof AccessDeniedException ? "permission denied"
                : f instanceof FileAlreadyExistsException ? "already exists"
                : f instanceof NotDirectoryException ? "not a directory"
                : f instanceof DirectoryNotEmptyException ? "directory not empty"
                : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            return (f.getFile() == null ? "" : f.getFile() + ": ") + what
                + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
