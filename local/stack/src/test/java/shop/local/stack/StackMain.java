package shop.local.stack;

import java.nio.file.Path;
import java.util.stream.Collectors;

/** Test-only program: starts a LocalAws, prints its process ids, and waits to be killed. */
public final class StackMain {

    public static void main(String[] args) throws InterruptedException {
        LocalAws aws = LocalAws.start(Path.of(args[0]));
        System.out.println("READY " + aws.processes().stream().map(p -> String.valueOf(p.pid()))
                .collect(Collectors.joining(" ")));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
