package shop.local.stack;

import java.net.URISyntaxException;
import java.nio.file.Path;

final class Fixtures {

    private Fixtures() {
    }

    static Path fixtureTemplateFile() {
        return resource("fixture-template.yaml");
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CfnTemplate fixtureTemplate() {
        return CfnTemplate.load(fixtureTemplateFile());
    }
}
