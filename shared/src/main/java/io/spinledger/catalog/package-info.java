/**
 * The catalog: reference tracks ({@link io.spinledger.catalog.CatalogService},
 * {@link io.spinledger.catalog.TrackRepository}) and the stations that are monitored
 * ({@link io.spinledger.catalog.StationRepository}).
 */
package io.spinledger.catalog;
