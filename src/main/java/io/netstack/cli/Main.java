package io.netstack.cli;
public class Main { public static void main(String[] a) {} }
