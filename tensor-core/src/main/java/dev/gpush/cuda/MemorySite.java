package dev.gpush.cuda;

/** Where live allocations of a device were made, with their bytes and count ({@code %memory --sites}). */
public record MemorySite(String site, long bytes, int count) {}
