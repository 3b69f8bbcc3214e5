package shop.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The network per-client limits count: IPv4 as it is, IPv6 by its /64 (issue 13, findings 1 and 2). */
class ClientNetworkTest {
    private static final AddressHasher HASHER = new AddressHasher("k".repeat(40));

    @Test
    void anIpv4AddressIsItselfAndHashesAsItAlwaysDid() {
        assertEquals("203.0.113.7", ClientNetwork.of("203.0.113.7"));
        assertEquals(HASHER.hash("ip", "203.0.113.7"), HASHER.hashNetwork("203.0.113.7"));
        assertNotEquals(HASHER.hashNetwork("203.0.113.7"), HASHER.hashNetwork("203.0.113.8"));
    }

    @Test
    void everyIpv6AddressOfOneSlash64IsOneClientAndTheNextSlash64Another() {
        String network = HASHER.hashNetwork("2001:db8:1:2::a");
        for (String address : new String[] {"2001:db8:1:2:ffff::b", "2001:DB8:1:2:1:2:3:4", "2001:0db8:0001:0002::"}) {
            assertEquals(network, HASHER.hashNetwork(address), address);
        }
        assertEquals("2001:db8:1:2::/64", ClientNetwork.of("2001:db8:1:2:abcd::1"));
        assertNotEquals(network, HASHER.hashNetwork("2001:db8:1:3::a"));
    }

    @Test
    void whatIsNoAddressLiteralIsTakenAsItIsAndNeverLookedUp() {
        assertEquals("localhost", ClientNetwork.of("localhost"));
        assertEquals("null", ClientNetwork.of(null));
        assertEquals("not:an:address:zz", ClientNetwork.of("not:an:address:zz"));
    }
}
