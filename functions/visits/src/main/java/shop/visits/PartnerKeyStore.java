package shop.visits;

import java.util.List;
import java.util.Optional;

/** Partner API keys, stored only as hashes. */
public interface PartnerKeyStore {
    Optional<PartnerKey> find(String keyId);

    void save(PartnerKey key);

    boolean revoke(String keyId);

    List<PartnerKey> all();
}
