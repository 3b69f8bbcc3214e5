package shop.visits;

import java.io.PrintStream;
import shop.core.aws.AwsClients;
import shop.core.config.Env;

/**
 * The shop owner's command for partner keys, run against a deployed stack (or the local one):
 * <pre>
 * AWS_REGION=eu-west-1 java -cp functions/visits/target/visits.jar shop.visits.PartnerKeyCommand \
 *     create "Partner name" --table &lt;StatsTable name&gt;
 * ... list --table T
 * ... revoke pk_0123456789abcdef --table T
 * </pre>
 * The whole key is printed once, on creation; only the hash of its secret is stored.
 */
public final class PartnerKeyCommand {
    private PartnerKeyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Env.system(), System.out, System.err));
    }

    public static int run(String[] args, Env env, PrintStream out, PrintStream err) {
        String table = null;
        java.util.List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--table") && i + 1 < args.length) {
                table = args[++i];
            } else {
                words.add(args[i]);
            }
        }
        if (table == null) {
            table = env.optional("STATS_TABLE").orElse(null);
        }
        if (table == null || words.isEmpty()) {
            err.println("usage: PartnerKeyCommand create <partner name> | list | revoke <key id>  --table <StatsTable name>");
            return 2;
        }
        var store = new DynamoPartnerKeyStore(new AwsClients(env).dynamo(), table);
        switch (words.get(0)) {
            case "create" -> {
                if (words.size() != 2) {
                    err.println("create takes the partner's name in quotes");
                    return 2;
                }
                out.println(new PartnerKeys(store).create(words.get(1)));
                err.println("Hand this key to the partner now: it cannot be shown again.");
                return 0;
            }
            case "list" -> {
                store.all().forEach(key -> out.println(key.keyId() + "\t" + key.partner()));
                return 0;
            }
            case "revoke" -> {
                if (words.size() != 2) {
                    err.println("revoke takes a key id (pk_...)");
                    return 2;
                }
                boolean revoked = store.revoke(words.get(1));
                err.println(revoked ? "Revoked." : "No such key.");
                return revoked ? 0 : 1;
            }
            default -> {
                err.println("unknown command: " + words.get(0));
                return 2;
            }
        }
    }
}
