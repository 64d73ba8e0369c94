package io.sorthub.hub.routing;

/** One sort outlet (chute). Ids are 1..65535: the wire carries them as uint16, 0 meaning none. */
public record Outlet(int id, String name, OutletType type) {
}
