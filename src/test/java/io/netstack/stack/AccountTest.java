package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stack file's {@code "account"} block: what it accepts, and where its errors point. */
class AccountTest {
    static StackFile parse(String account) {
        return StackLoader.parse("s.json", "{\"stack\": \"s\", \"region\": \"eu-west-1\",\n \"account\": " + account + ",\n \"resources\": {}}", Map.of());
    }

    static List<String> errors(String account) {
        StackException e = assertThrows(StackException.class, () -> parse(account));
        return e.errors().stream().map(StackError::toString).toList();
    }

    @Test
    void roleWithExternalIdTakesTheRolesAccount() {
        Account a = parse("{\"roleArn\": \"arn:aws:iam::222222222222:role/ops/netstack\", \"externalId\": \"x-1\"}").account();
        assertEquals(new Account("222222222222", "arn:aws:iam::222222222222:role/ops/netstack", "x-1", null), a);
    }

    @Test
    void profileWithAnIdToCheck() {
        Account a = parse("{\"id\": \"111111111111\", \"profile\": \"network-prod\"}").account();
        assertEquals("111111111111", a.id());
        assertEquals("network-prod", a.profile());
        assertNull(a.roleArn());
    }

    @Test
    void noAccountBlockMeansTheCommandsCredentials() {
        assertNull(StackLoader.parse("s.json", "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {}}", Map.of()).account());
    }

    @Test
    void aVariableMayGiveTheRole() {
        StackFile s = StackLoader.parse("s.json", "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"variables\": {\"acct\": {}},\n"
                + " \"account\": {\"roleArn\": \"arn:aws:iam::${var.acct}:role/netstack\"}, \"resources\": {}}", Map.of("acct", "333333333333"));
        assertEquals("333333333333", s.account().id());
    }

    @Test
    void errorsPointAtTheValue() {
        assertEquals(List.of("s.json:2:20: account id \"12345\" must be the 12 digits of an AWS account id (a string, e.g. \"123456789012\")"),
                errors("{\"id\": \"12345\"}"));
        assertEquals(List.of("s.json:2:25: \"arn:aws:iam::1:role/x\" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)"),
                errors("{\"roleArn\": \"arn:aws:iam::1:role/x\"}"));
        List<String> mismatch = errors("{\"id\": \"111111111111\", \"roleArn\": \"arn:aws:iam::222222222222:role/x\"}");
        assertEquals(1, mismatch.size(), mismatch.toString());
        assertTrue(mismatch.get(0).contains("role arn:aws:iam::222222222222:role/x is in account 222222222222, but account id is 111111111111"), mismatch.toString());
    }

    @Test
    void refusesWhatCannotWork() {
        assertTrue(errors("{\"roleArn\": \"arn:aws:iam::222222222222:role/x\", \"profile\": \"p\"}").get(0).contains("a roleArn or a profile, not both"));
        assertTrue(errors("{\"id\": \"222222222222\", \"externalId\": \"abc\"}").get(0).contains("externalId is sent with AssumeRole: it needs a roleArn"));
        assertTrue(errors("{}").get(0).contains("account needs an id, a roleArn or a profile"));
        assertTrue(errors("{\"role\": \"x\"}").get(0).contains("unknown key \"role\" in account"));
        assertTrue(errors("\"222222222222\"").get(0).startsWith("s.json:2:13: \"account\" must be an object"));
        assertTrue(errors("{\"id\": 222222222222}").get(0).contains("account id must be a non-empty string"));
    }
}
