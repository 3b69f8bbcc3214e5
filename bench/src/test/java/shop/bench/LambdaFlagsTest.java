package shop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LambdaFlagsTest {
    @Test
    void theHeapIsWhatLambdaGivesAFunctionOfThatMemory() {
        // As `ps` shows the java17 runtime's JVM in a 512 MB function.
        assertEquals("-XX:MaxHeapSize=445645k", ColdStarts.heapFor(512).get(0));
        assertEquals(List.of("-XX:MaxHeapSize=891290k", "-XX:MaxRAM=1024m"), ColdStarts.heapFor(1024));
    }

    @Test
    void theCollectorIsLambdasNotTheMachines() {
        assertTrue(ColdStarts.LAMBDA_FLAGS.contains("-XX:+UseSerialGC"));
        assertTrue(ColdStarts.LAMBDA_FLAGS.contains("-XX:TieredStopAtLevel=1"));
    }
}
