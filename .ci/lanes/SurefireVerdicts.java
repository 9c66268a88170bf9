import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Judges the Surefire reports of one run of the podman lane (java SurefireVerdicts.java REPORTS_DIR EXPECTATION).
 * EXPECTATION "pass": every test passed. EXPECTATION "fail:PHRASE": every test failed, each with a message containing
 * PHRASE, or one of the phrases "PHRASE || PHRASE ..." (a test that passes where containers cannot be made would have
 * run with less isolation than asked). Either
 * way at least one test must have run. Prints what it found; exits 1 when the expectation is not met.
 */
public class SurefireVerdicts {

    record Outcome(String test, String failure) {
    }

    public static void main(String[] args) throws Exception {
        Path reports = Path.of(args[0]);
        String expectation = args[1];
        List<Outcome> outcomes = outcomes(reports);
        List<String> wrong = new ArrayList<>();
        TreeMap<String, Integer> messages = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (expectation.equals("pass")) {
                if (o.failure() != null) {
                    wrong.add(o.test() + " failed: " + o.failure());
                }
            } else if (o.failure() == null) {
                wrong.add(o.test() + " passed where it should have failed");
            } else if (Stream.of(expectation.substring("fail:".length()).split(" \\|\\| ")).noneMatch(o.failure()::contains)) {
                wrong.add(o.test() + " failed with another message: " + o.failure());
            } else {
                messages.merge(o.failure().replaceAll("container c[0-9]+", "container cN"), 1, Integer::sum);
            }
        }
        if (outcomes.isEmpty()) {
            wrong.add("no test ran (no TEST-*.xml under " + reports + ")");
        }
        System.out.println("  " + outcomes.size() + " tests, expected: " + expectation);
        messages.forEach((message, count) -> System.out.println("  " + count + " x " + message));
        wrong.forEach(w -> System.out.println("  WRONG: " + w));
        System.exit(wrong.isEmpty() ? 0 : 1);
    }

    private static List<Outcome> outcomes(Path reports) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.exists(reports) ? Files.walk(reports) : Stream.empty()) {
            files = walk.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        }
        for (Path file : files) {
            NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                String test = c.getAttribute("classname").replaceAll(".*\\.", "") + "." + c.getAttribute("name");
                if (c.getElementsByTagName("skipped").getLength() > 0) {
                    outcomes.add(new Outcome(test, "skipped: " + ((Element) c.getElementsByTagName("skipped").item(0)).getAttribute("message")));
                } else {
                    outcomes.add(new Outcome(test, failure(c)));
                }
            }
        }
        return outcomes;
    }

    private static String failure(Element testcase) {
        for (String tag : List.of("failure", "error")) {
            NodeList found = testcase.getElementsByTagName(tag);
            if (found.getLength() > 0) {
                return ((Element) found.item(0)).getAttribute("message").strip().replaceAll("\\s+", " ");
            }
        }
        return null;
    }
}
