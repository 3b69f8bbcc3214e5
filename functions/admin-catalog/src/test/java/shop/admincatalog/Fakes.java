package shop.admincatalog;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;

/** Small fakes of the ports, and the two kinds of caller. */
final class Fakes {
    static final AdminCaller OWNER = new AdminCaller("sub-owner", "owner@localhost.test", Set.of("owners"));
    static final AdminCaller STAFF = new AdminCaller("sub-staff", "staff@localhost.test", Set.of("staff"));
    static final String IMAGES = "https://d111.cloudfront.net";

    private Fakes() {
    }

    static final class Uploads implements ImageUploads {
        record Signed(String key, String contentType, long size, Duration lifetime) {}

        final List<Signed> signed = new ArrayList<>();

        @Override
        public URI presignPut(String key, String contentType, long size, Duration lifetime) {
            signed.add(new Signed(key, contentType, size, lifetime));
            return URI.create("https://images-bucket.s3.amazonaws.com/" + key + "?X-Amz-Signature=x");
        }
    }

    static final class Trail implements AuditTrail {
        final List<AdminAction> actions = new ArrayList<>();

        @Override
        public void record(AdminAction action) {
            actions.add(action);
        }

        @Override
        public List<AdminAction> of(String subject) {
            return actions.stream().filter(a -> a.subject().equals(subject)).toList();
        }
    }
}
