package shop.local.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation's short-form tags ({@code !Ref X}, {@code !GetAtt A.B}, ...) as the
 * long-form maps they stand for, so that the rest of the code sees one shape. Without this,
 * a YAML reader either rejects the tags or silently drops them ({@code !Ref X} becomes "X").
 */
final class CloudFormationConstructor extends SafeConstructor {

    static final List<String> SHORT_FORMS = List.of(
            "Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "Not", "And", "Or",
            "FindInMap", "Base64", "GetAZs", "ImportValue", "Condition", "Cidr");

    CloudFormationConstructor() {
        super(new LoaderOptions());
        for (String name : SHORT_FORMS) {
            yamlConstructors.put(new Tag("!" + name), new Intrinsic(name));
        }
        // CloudFormation treats an unquoted 2016-07-01 as a string, not as a date.
        yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }

    private final class Intrinsic extends AbstractConstruct {
        private final String key;

        Intrinsic(String name) {
            this.key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
        }

        @Override
        public Object construct(Node node) {
            Object value;
            if (node instanceof ScalarNode scalar) {
                value = constructScalar(scalar);
            } else if (node instanceof SequenceNode sequence) {
                value = constructSequence(sequence);
            } else {
                value = constructMapping((MappingNode) node);
            }
            if (key.equals("Fn::GetAtt") && value instanceof String dotted) {
                int dot = dotted.indexOf('.');
                if (dot < 1) {
                    throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got '" + dotted + "'");
                }
                value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
            }
            Map<String, Object> longForm = new LinkedHashMap<>();
            longForm.put(key, value);
            return longForm;
        }
    }
}
