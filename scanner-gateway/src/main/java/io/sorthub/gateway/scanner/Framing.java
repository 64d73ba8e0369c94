package io.sorthub.gateway.scanner;

/** How a scanner delimits its reads on the wire. */
public enum Framing {
    /** 0x02 … 0x03 around each read (SICK CLV/Lector, Datalogic by default). */
    STX_ETX,
    /** A line ended by CR LF (Cognex DataMan and many others). */
    CRLF,
    /** A line ended by LF (a lone CR before it is tolerated). */
    LF
}
