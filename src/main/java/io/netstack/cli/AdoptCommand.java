package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.AdoptFile;
import io.netstack.engine.Adopter;
import io.netstack.stack.StackFile;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "adopt", description = {
        "Put netstack's ownership tags on the existing objects of a stack file written by `netstack import`",
        "(found through FILE.adopt.json), so that plan, apply, drift and destroy manage them from then on.",
        "Changes tags only: refuses if the file would create, replace, delete or change anything else."})
class AdoptCommand extends BaseCommand {
    @Mixin
    StackArgs stack = new StackArgs();

    @Mixin
    Approval approval = new Approval();

    @Option(names = "--adopt-file", paramLabel = "FILE", description = "The id map import wrote (default: STACK.adopt.json).")
    Path adoptFile;

    @Override
    public Integer call() throws Exception {
        Path sidecarPath = adoptFile != null ? adoptFile : AdoptFile.beside(stack.file);
        AdoptFile sidecar;
        try {
            sidecar = AdoptFile.read(sidecarPath);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        try (Netstack ns = netstack()) {
            StackFile s = loadAndValidate(ns, stack);
            checkSecrets(ns, s, true);
            Adopter.Adoption a = ns.adoption(s, sidecar);
            a.notes().forEach(n -> console.err().println("note: " + n));
            if (a.refused()) {
                console.err().println("error: refusing to adopt stack " + s.name() + "; nothing was changed:");
                a.refusals().forEach(r -> console.err().println("  " + r));
                return ExitCodes.ERROR;
            }
            var out = human();
            for (Adopter.Item i : a.items()) {
                if (i.tags().isEmpty()) out.println("  = " + i.id() + " (" + i.type() + ") " + i.awsId() + ": adopted already");
                else out.println("  ~ " + i.id() + " (" + i.type() + ") " + i.awsId() + ": + tags " + tags(i.tags()));
            }
            if (a.toTag() == 0) {
                out.println("Nothing to adopt: every object carries stack " + s.name() + "'s tags already.");
                return ExitCodes.OK;
            }
            out.println("Adopt: " + a.toTag() + " objects get tags; nothing else changes.");
            if (!approval.confirm(this, "Tag these objects as stack " + s.name() + "'s?")) return ExitCodes.ERROR;
            int[] n = {0};
            ns.adopt(s, a, i -> n[0]++);
            out.println("Adopted " + n[0] + " objects into stack " + s.name() + ". `netstack plan " + stack.file + "` should now show no changes; "
                    + AdoptFile.SUFFIX.substring(1) + " is no longer needed.");
            return ExitCodes.OK;
        }
    }

    private static String tags(Map<String, String> t) {
        StringBuilder sb = new StringBuilder();
        t.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }
}
