package shop.visits;

/** Browser and operating-system family, such as "Firefox" and "Windows". */
public record AgentFamilies(String browser, String os) {
}
