package io.sorthub.hub.cli;


import io.sorthub.hub.routing.compile.PlanError;
import io.sorthub.hub.routing.compile.PlanLimits;
import io.sorthub.hub.routing.compile.SortPlanException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A plan file for the command line: its size checked before it is read, UTF-8 text, errors as one line each. */
final class SortPlanFiles {
    private SortPlanFiles() {
    }

    /** @throws SortPlanException for a file too big to be a plan or not UTF-8; IOException when it cannot be read */
    static String read(Path file) throws IOException, SortPlanException {
        final long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file", e);
        }
        if (size > PlanLimits.MAX_PLAN_BYTES) {
            throw new SortPlanException(new PlanError(1, "", String.format(
                "the file is %,d bytes; a sort plan may be at most %,d bytes (16 MiB)", size, PlanLimits.MAX_PLAN_BYTES)));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new SortPlanException(new PlanError(1, "", "the file is not UTF-8 text"));
        }
    }

    /** Each error as {@code FILE:LINE: where: what}, the form editors jump to. */
    static void printErrors(Path file, SortPlanException e, java.io.PrintStream out) {
        e.errors().forEach(error -> out.println(file + ":" + error.line() + ": "
            + (error.where().isEmpty() ? "" : error.where() + ": ") + error.message()));
        if (e.notShown() > 0) {
            out.println(file + ": ... and " + e.notShown() + " more errors not shown");
        }
    }
}
