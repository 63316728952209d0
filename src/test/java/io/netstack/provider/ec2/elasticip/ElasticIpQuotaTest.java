package io.netstack.provider.ec2.elasticip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.engine.Validator;
import io.netstack.provider.ec2.TestTypes;
import io.netstack.stack.StackError;
import io.netstack.stack.StackLoader;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default-quota warning (AwsType.warnPastQuota, shared with transit-gateway): once, on the
 * first block beyond the quota in file order, and a warning, not an error.
 */
class ElasticIpQuotaTest {
    @RegisterExtension
    static final TestTypes types = new TestTypes();

    static List<StackError> warnings(int eips) {
        String resources = IntStream.rangeClosed(1, eips).mapToObj(i -> "\"eip-" + i + "\": { \"type\": \"elastic-ip\" }").collect(Collectors.joining(",\n"));
        String text = "{ \"stack\": \"eips\", \"region\": \"eu-west-1\", \"resources\": {\n" + resources + "\n} }";
        return new Validator(types).validate(StackLoader.parse("eips.json", text, Map.of())).warnings();
    }

    @Test
    void quotaItselfIsNoWarning() {
        assertEquals(List.of(), warnings(ElasticIpType.MAX_EIPS_PER_REGION));
    }

    @Test
    void firstBlockPastTheQuotaWarnsOnce() {
        List<StackError> w = warnings(ElasticIpType.MAX_EIPS_PER_REGION + 2);
        assertEquals(1, w.size(), w.toString());
        assertEquals("eip-" + (ElasticIpType.MAX_EIPS_PER_REGION + 1) + ": more than 5 Elastic IPs in one stack exceeds the default quota of 5 per region",
                w.get(0).message());
    }
}
