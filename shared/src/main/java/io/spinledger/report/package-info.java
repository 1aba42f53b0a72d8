/**
 * Period exports for societies and stations: the music-use log and the sound-recording report of use
 * ({@link io.spinledger.report.UsageReports}), written as RFC 4180 CSV ({@link io.spinledger.report.Csv}).
 */
package io.spinledger.report;
