package io.sorthub.hub.http;

import io.sorthub.hub.control.HubControl;
import io.sorthub.hub.tracking.ParcelTraces;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlanHolder;

/**
 * What the engineer's API works on; it exists once the journal has been replayed. {@code devices} is null without a
 * devices file; {@code whatIf} replays the journal through a plan not in force (the dry run); {@code pair} is null
 * for a hub that is not part of a hub pair; {@code ops} changes the hold list, overrides, re-keys and bags, and
 * {@code history} reads a bag's or a chute's parcels back from the journal.
 */
public record ApiContext(SortPlanHolder plans, OutletStates outlets, HubControl control, ParcelTraces traces,
                         io.sorthub.hub.security.DeviceRegistry devices, io.sorthub.hub.source.SourceRegistry sources,
                         io.sorthub.hub.whatif.WhatIf whatIf, io.sorthub.hub.pair.PairRole pair,
                         io.sorthub.hub.control.OpsControl ops, io.sorthub.hub.ops.ChuteHistory history) {
}
