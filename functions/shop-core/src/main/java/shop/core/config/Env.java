package shop.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * The environment a function runs with: Lambda's environment variables in AWS, or the map the
 * local server resolves from template.yaml for the same function. Handlers read configuration
 * only through this, so one JVM can host several functions locally.
 */
public final class Env {
    private final Map<String, String> variables;

    private Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** A variable that template.yaml always sets; a missing one is a deployment error. */
    public String require(String name) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set");
        }
        return value;
    }

    /** A variable that may be absent or empty (an optional template parameter). */
    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
