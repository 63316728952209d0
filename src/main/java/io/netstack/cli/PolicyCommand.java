package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.Policy;
import io.netstack.stack.StackFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "policy", description = "Print the least-privilege IAM policy (JSON) a stack's runs need; no AWS call.")
class PolicyCommand extends OfflineCommand {
    @Option(names = "--for", paramLabel = "plan|apply|destroy|drift|adopt", defaultValue = "apply",
            converter = PurposeConverter.class,
            description = "The command the policy is for (default: ${DEFAULT-VALUE}; apply includes what plan needs).")
    Policy.Purpose purpose;

    @Override
    int run(Netstack ns, StackFile s) throws Exception {
        console.out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(ns.policy(s, purpose)));
        return ExitCodes.OK;
    }

    static final class PurposeConverter implements picocli.CommandLine.ITypeConverter<Policy.Purpose> {
        @Override
        public Policy.Purpose convert(String value) {
            try {
                return Policy.Purpose.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected plan, apply, destroy, drift or adopt, not '" + value + "'");
            }
        }
    }
}
