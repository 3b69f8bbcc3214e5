package shop.core.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The network a source IP stands for in a per-client limit: an IPv4 address as it is, an IPv6
 * address as its /64 prefix. One household or phone holds a whole /64 and may pick any address
 * in it, so counting IPv6 addresses one by one would let one client past every per-IP limit.
 */
public final class ClientNetwork {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientNetwork() {
    }

    /** {@code ip} unchanged unless it is an IPv6 literal; then its first 64 bits, as {@code a:b:c:d::/64}. */
    public static String of(String ip) {
        if (ip == null || !ip.contains(":") || !LITERAL.matcher(ip).matches()) {
            return String.valueOf(ip);
        }
        try {
            // Only a literal reaches here (the pattern), so no name is ever looked up.
            byte[] bytes = InetAddress.getByName(ip).getAddress();
            if (bytes.length != 16) {
                return ip;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return ip;
        }
    }
}
