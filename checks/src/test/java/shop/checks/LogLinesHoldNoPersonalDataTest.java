package shop.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every log line the functions wrote during this build's tests (the JSON lines of
 * {@code shop.core.logging.Log}, captured by Surefire in each module's
 * {@code target/surefire-reports/*-output.txt}) is scanned for what must never be logged:
 * addresses, link tokens, secrets, card numbers. This module builds last, so it sees them all.
 */
class LogLinesHoldNoPersonalDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Pattern> FORBIDDEN = Map.of(
            "an email address", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+"),
            "a link token (256 bits, base64url)", Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"),
            "a Stripe secret", Pattern.compile("(sk|rk)_(test|live)_|whsec_"),
            "a partner key", Pattern.compile("pk_[0-9a-f]{16}\\."));
    /**
     * Card numbers as cards print them: 15 or 16 digits starting 3-6, standing alone (not inside
     * a hex id or hash), checked with Luhn below.
     */
    private static final Pattern CARD = Pattern.compile("(?<![0-9A-Za-z])[3-6](?:[ -]?\\d){14,15}(?![0-9A-Za-z])");

    @Test
    void noFunctionLogLineHoldsAnAddressTokenSecretOrCardNumber() throws IOException {
        List<String> lines = functionLogLines();
        assertTrue(lines.size() > 20, "expected the functions' log lines of this build, found " + lines.size()
                + " (run the whole build: ./mvnw verify)");
        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            FORBIDDEN.forEach((what, pattern) -> {
                if (pattern.matcher(line).find()) {
                    leaks.add(what + ": " + line);
                }
            });
            var card = CARD.matcher(line);
            while (card.find()) {
                if (luhn(card.group().replaceAll("[ -]", ""))) {
                    leaks.add("a card number: " + line);
                }
            }
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    private static List<String> functionLogLines() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 6)) {
            for (Path file : files.filter(p -> p.toString().endsWith("-output.txt"))
                    .filter(p -> p.getParent().endsWith("surefire-reports"))
                    .filter(p -> !p.startsWith(root.resolve("checks")))
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (isFunctionLogLine(line)) {
                        lines.add(line);
                    }
                }
            }
        }
        return lines;
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** Only our structured lines: test code may print what it likes. */
    private static boolean isFunctionLogLine(String line) {
        if (!line.startsWith("{\"time\"")) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node.has("level") && node.has("event");
        } catch (IOException e) {
            return false;
        }
    }
}
