package io.spinledger.ports;

import java.util.List;
import java.util.Optional;

/**
 * One page of a query or scan.
 *
 * @param items the items, in key order
 * @param next  where the next page starts (exclusive), or empty when this was the last page
 */
public record Page(List<Item> items, Optional<Item.Key> next) {
    public Page {
        items = List.copyOf(items);
    }
}
