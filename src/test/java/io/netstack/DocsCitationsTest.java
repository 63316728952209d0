package io.netstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Markdown file a comment in {@code src/} cites exists in the repository, and what the
 * comment says is in it is there. A maintainer who clones the repository must be able to follow
 * every Markdown citation in the code.
 *
 * <p>The rules, for comments in {@code src/**}{@code /*.java} (string literals are not citations):
 * <ul>
 *   <li>a cited {@code <file>.md} is a path from the repository root: {@code docs/DESIGN.md},
 *       {@code BENCHMARKS.md};</li>
 *   <li>{@code <file>.md, "Section"} names a heading of that file (any level, exact text);</li>
 *   <li>{@code <file>.md: "words"} quotes the file: the words appear in it (whitespace-insensitive).</li>
 * </ul>
 * A citation may wrap across comment lines.
 *
 * <p>Issue 10: until the comments are repointed at {@code docs/} (the lead's sed after the merge:
 * the comments were written when the AWS facts and the moto notes lived outside the repository,
 * and the design documents were cited by bare file name), {@link #everyCitedDocExists} fails and
 * lists each citation to fix.
 */
class DocsCitationsTest {
    static final Path ROOT = Path.of("").toAbsolutePath();

    /** A path ending in .md, not part of a longer path or URL (nothing path-like right before it). */
    static final Pattern CITED = Pattern.compile("(?<![\\w./:-])((?:[\\w.-]+/)*[\\w.-]+\\.md)\\b");
    static final Pattern SECTION = Pattern.compile("\\G\\s*,\\s*\"([^\"]+)\"");
    static final Pattern QUOTE = Pattern.compile("\\G\\s*:\\s*\"([^\"]+)\"");

    record Comment(Path file, int line, String text) {
        String where() {
            return ROOT.relativize(file.toAbsolutePath()) + ":" + line;
        }
    }

    @Test
    void everyCitedDocExists() throws IOException {
        List<String> problems = new ArrayList<>();
        int citations = 0;
        try (Stream<Path> files = Files.walk(ROOT.resolve("src"))) {
            // This file is left out: its comments describe citations rather than make them.
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("DocsCitationsTest.java")).sorted().toList()) {
                for (Comment c : comments(f, Files.readString(f))) {
                    List<String> found = check(ROOT, c);
                    citations += count(c);
                    problems.addAll(found);
                }
            }
        }
        assertTrue(citations > 0, "no citation found: the scanner is broken");
        assertTrue(problems.isEmpty(), problems.size() + " of " + citations + " citations in src/ do not resolve"
                + " (a cited .md is a path from the repository root, e.g. docs/DESIGN.md):\n" + String.join("\n", problems));
    }

    // ---------------------------------------------------------------- the checker checked

    /** Fixture names built at run time, so that this file itself cites no Markdown file that does not exist. */
    static final String MD = ".md", FACTS = "facts" + MD;

    @Test
    void checkerReportsMissingFilesSectionsAndQuotes(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/" + FACTS), """
                # Facts
                ## EC2 API throttling
                Poll for up to about
                5 minutes.
                """);
        Path src = repo.resolve("A.java");
        String java = """
                /** Fine: (docs/FACTS, "EC2
                 * API throttling") and docs/FACTS: "up to about 5 minutes". */
                class A {
                    // bare name: (FACTS, "EC2 API throttling")
                    String s = "not a citation: GONE";
                    /* docs/FACTS, "Retries" and docs/FACTS: "10 minutes" */
                    // https://example.com/x/README.md is a link, not a citation
                }
                """.replace("FACTS", FACTS).replace("GONE", "gone" + MD);
        List<String> problems = new ArrayList<>();
        for (Comment c : comments(src, java)) problems.addAll(check(repo, c));
        assertEquals(3, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).matches(".*A\\.java:4: facts\\.md: no such file in the repository.*"), problems.get(0));
        assertTrue(problems.get(1).matches(".*A\\.java:6: docs/facts\\.md has no heading \"Retries\".*"), problems.get(1));
        assertTrue(problems.get(2).matches(".*A\\.java:6: docs/facts\\.md does not say \"10 minutes\".*"), problems.get(2));
    }

    @Test
    void commentsAreFoundOutsideStringsAndJoinedAcrossLines() {
        List<Comment> cs = comments(Path.of("B.java"), """
                class B {
                    String a = "/* not a comment */", b = "// nor this", c = '"' + "\\" // x";
                    String t = \"""
                        /* nor in a text block */
                        \""";
                    // one
                    // comment
                    int x; /** two
                     * lines */
                }
                """);
        assertEquals(List.of("6:one comment", "8:two lines"), cs.stream().map(c -> c.line() + ":" + c.text()).toList());
    }

    // ---------------------------------------------------------------- scanner

    /** The comments of a Java source: runs of // lines joined, block comments with their leading '*' removed, whitespace collapsed. */
    static List<Comment> comments(Path file, String src) {
        List<Comment> out = new ArrayList<>();
        int i = 0, line = 1, n = src.length();
        StringBuilder run = null;
        int runLine = 0, lastLineCommentLine = -2;
        while (i < n) {
            char ch = src.charAt(i);
            if (ch == '\n') {
                line++;
                i++;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                while (end > 0 && src.charAt(end - 1) == '\\') end = src.indexOf("\"\"\"", end + 1);
                end = end < 0 ? n : end + 3;
                line += newlines(src, i, end);
                i = end;
            } else if (ch == '"' || ch == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != ch && src.charAt(j) != '\n') j += src.charAt(j) == '\\' ? 2 : 1;
                i = Math.min(n, j + 1);
            } else if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                if (end < 0) end = n;
                String text = src.substring(i + 2, end);
                if (run != null && lastLineCommentLine == line - 1) {
                    run.append(' ').append(text);
                } else {
                    if (run != null) out.add(new Comment(file, runLine, squash(run.toString())));
                    run = new StringBuilder(text);
                    runLine = line;
                }
                lastLineCommentLine = line;
                i = end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                String body = src.substring(i + 2, Math.max(i + 2, end - 2)).replaceAll("(?m)^\\s*\\*(?!/)", " ");
                if (body.startsWith("*")) body = body.substring(1);
                out.add(new Comment(file, line, squash(body)));
                line += newlines(src, i, end);
                i = end;
            } else {
                i++;
            }
        }
        if (run != null) out.add(new Comment(file, runLine, squash(run.toString())));
        out.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return out;
    }

    static int newlines(String s, int from, int to) {
        int k = 0;
        for (int j = from; j < to; j++) if (s.charAt(j) == '\n') k++;
        return k;
    }

    static String squash(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    // ---------------------------------------------------------------- checks

    static int count(Comment c) {
        int k = 0;
        for (Matcher m = CITED.matcher(c.text()); m.find(); ) k++;
        return k;
    }

    /** What is wrong with the citations of one comment, one line each; empty when all resolve under {@code root}. */
    static List<String> check(Path root, Comment c) {
        List<String> problems = new ArrayList<>();
        Matcher m = CITED.matcher(c.text());
        while (m.find()) {
            String cited = m.group(1);
            Path doc = root.resolve(cited).normalize();
            if (!doc.startsWith(root) || !Files.isRegularFile(doc)) {
                problems.add(c.where() + ": " + cited + ": no such file in the repository");
                continue;
            }
            Matcher s = SECTION.matcher(c.text()).region(m.end(), c.text().length());
            if (s.lookingAt() && !headings(doc).contains(squash(s.group(1)))) {
                problems.add(c.where() + ": " + cited + " has no heading \"" + s.group(1) + "\"");
            }
            Matcher q = QUOTE.matcher(c.text()).region(m.end(), c.text().length());
            if (q.lookingAt() && !squash(read(doc)).contains(squash(q.group(1)))) {
                problems.add(c.where() + ": " + cited + " does not say \"" + q.group(1) + "\"");
            }
        }
        return problems;
    }

    static final Map<Path, List<String>> HEADINGS = new HashMap<>();

    static synchronized List<String> headings(Path doc) {
        return HEADINGS.computeIfAbsent(doc, d -> read(d).lines().filter(l -> l.matches("#{1,6} .*"))
                .map(l -> squash(l.replaceFirst("^#+ ", ""))).toList());
    }

    static String read(Path doc) {
        try {
            return Files.readString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
