package shop.privacy.stores;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB items as plain Java values (what JSON has), for the export and the services. */
final class DynamoValues {
    private DynamoValues() {
    }

    /** Attributes sorted by name, so that two exports of the same data read the same. */
    static Map<String, Object> item(Map<String, AttributeValue> item) {
        Map<String, Object> plain = new LinkedHashMap<>();
        new TreeMap<>(item).forEach((name, value) -> plain.put(name, value(value)));
        return plain;
    }

    static Object value(AttributeValue value) {
        return switch (value.type()) {
            case S -> value.s();
            case N -> number(value.n());
            case BOOL -> value.bool();
            case NUL -> null;
            case M -> item(value.m());
            case L -> value.l().stream().map(DynamoValues::value).toList();
            case SS -> value.ss().stream().sorted().toList();
            case NS -> value.ns().stream().map(DynamoValues::number).toList();
            case B -> java.util.Base64.getEncoder().encodeToString(value.b().asByteArray());
            case BS -> value.bs().stream().map(b -> java.util.Base64.getEncoder().encodeToString(b.asByteArray())).toList();
            case UNKNOWN_TO_SDK_VERSION -> String.valueOf(value);
        };
    }

    private static Object number(String text) {
        BigDecimal number = new BigDecimal(text);
        try {
            return number.longValueExact();
        } catch (ArithmeticException notWhole) {
            return number;
        }
    }

    static List<Map<String, Object>> items(List<Map<String, AttributeValue>> items) {
        List<Map<String, Object>> plain = new ArrayList<>(items.size());
        items.forEach(item -> plain.add(item(item)));
        return plain;
    }
}
