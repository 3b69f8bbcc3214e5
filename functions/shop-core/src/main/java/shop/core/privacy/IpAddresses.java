package shop.core.privacy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Keeps only the network part of an IP address (IPv4 /24, IPv6 /48): enough to show where a
 * consent came from roughly, not enough to point at one household.
 */
public final class IpAddresses {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpAddresses() {
    }

    public static String truncate(String ip) {
        // Only literals are parsed: InetAddress would resolve a host name over DNS.
        if (ip == null || !LITERAL.matcher(ip).matches()) {
            return "unknown";
        }
        try {
            byte[] bytes = InetAddress.getByName(ip).getAddress();
            if (bytes.length == 4) {
                return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/24";
            }
            return String.format("%x:%x:%x::/48",
                    ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff),
                    ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff),
                    ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff));
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
