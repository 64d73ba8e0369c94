package io.sorthub.protocol.client;

import io.sorthub.protocol.ErrorCode;

import java.io.IOException;

/** The hub refused the session with an ERROR frame. */
public final class HubClientException extends IOException {
    private final ErrorCode code;

    public HubClientException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
