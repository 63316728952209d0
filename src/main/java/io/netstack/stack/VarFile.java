package io.netstack.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code --var-file FILE.json}: one JSON object of variable name → value. Values become the text
 * form that {@code --var} takes (strings as they are, numbers, booleans, lists and maps as JSON), so
 * that the file, {@code --var} and saved plans set variables in one way.
 */
public final class VarFile {
    private VarFile() {}

    public static Map<String, String> read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StackException(Location.unknown(path.toString()), "no such variables file");
        } catch (IOException e) {
            throw new StackException(Location.unknown(path.toString()), "cannot read: " + e.getMessage());
        }
        LocatedJson json = LocatedJson.parse(path.toString(), text);
        if (!json.root().isObject()) throw new StackException(json.at(""), "a variables file must be a JSON object of name → value");
        Map<String, String> out = new LinkedHashMap<>();
        json.root().fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isNull()) throw new StackException(json.at("/" + LocatedJson.escape(e.getKey())), "variable \"" + e.getKey() + "\" is null: leave it out to use its default");
            out.put(e.getKey(), v.isTextual() ? v.asText() : v.toString());
        });
        return out;
    }
}
