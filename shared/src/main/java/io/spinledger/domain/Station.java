package io.spinledger.domain;

import java.time.Instant;

/**
 * A monitored broadcast station.
 *
 * @param stationId    stable id (lower-case letters, digits, '-')
 * @param name         display name
 * @param streamUrl    HTTP/Icecast stream URL (MP3, AAC or Ogg), may be null for air-check-only stations
 * @param country      ISO 3166-1 alpha-2 country code
 * @param stationClass rate class: A, B, C, ONLINE or COMMUNITY
 * @param currency     ISO 4217 currency the station is charged in
 * @param timezone     IANA time zone of the station (for dayparts)
 * @param createdAt    when the station was registered
 */
public record Station(String stationId, String name, String streamUrl, String country, String stationClass,
                      String currency, String timezone, Instant createdAt) {
}
