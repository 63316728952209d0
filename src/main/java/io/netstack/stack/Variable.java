package io.netstack.stack;

/** A declared stack variable: {@code {"default": …, "description": …}}. */
public record Variable(String name, String defaultValue, String description) {}
