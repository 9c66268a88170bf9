package io.github.junitsandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that exists to be run by the tests of the extension through the
 * EngineTestKit, whose events they check (several are meant to fail). Run any other way (an IDE
 * picking it up), it is skipped. Maven never picks them up: Surefire leaves out nested classes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KitSubject.OnlyInKitRun.class)
@interface KitSubject {

    /** The configuration parameter {@link KitRun} sets. */
    String PARAMETER = "junit.sandbox.test.kitRun";

    class OnlyInKitRun implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run through the EngineTestKit")
                    : ConditionEvaluationResult.disabled("run only through the EngineTestKit by the extension's tests");
        }
    }
}
