package io.netstack.cli;

import picocli.CommandLine.IVersionProvider;

public class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"netstack " + (v == null ? "dev" : v)};
    }
}
