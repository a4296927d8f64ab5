package dev.backstop.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core is a pure, deterministic state machine: no I/O, no clock, no threads, no unseeded
 * randomness, and no dependency on the adapters around it (STYLE.md, "Shape of this project").
 * In-memory byte buffers and charsets ({@code java.nio}, {@code java.nio.charset}) and message
 * digests (the state hash's SHA-256) are pure computation and allowed.
 */
class PureCoreTest {

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.backstop.core");
  }

  @Test
  void coreDependsOnNoAdapter() {
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.backstop.sim..", "dev.backstop.cli..", "dev.backstop.server..")
        .check(core);
  }

  @Test
  void coreDoesNoIo() {
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..", "java.sql..")
        .check(core);
  }

  @Test
  void coreReadsNoClockAndStartsNoThread() {
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.time..", "java.util.concurrent..")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .check(core);
  }

  @Test
  void coreHasNoUnseededRandomness() {
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.Math$RandomNumberGeneratorHolder")
        .orShould()
        .callMethod(Math.class, "random")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.security.SecureRandom")
        .orShould()
        .callMethod(java.util.UUID.class, "randomUUID")
        .orShould()
        .callConstructor(java.util.SplittableRandom.class)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.random..")
        .orShould()
        .callMethod(System.class, "identityHashCode", Object.class)
        .check(core);
  }

  /**
   * The core's few floating-point functions (option pricing, the decay of consumed depth) use
   * {@link StrictMath}, whose results are the same bits on every JVM: {@link Math}'s may be
   * intrinsics that differ between machines.
   */
  @Test
  void coreUsesStrictMathForTranscendentalFunctions() {
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core..")
        .should()
        .callMethod(Math.class, "exp", double.class)
        .orShould()
        .callMethod(Math.class, "log", double.class)
        .orShould()
        .callMethod(Math.class, "sqrt", double.class)
        .orShould()
        .callMethod(Math.class, "pow", double.class, double.class)
        .orShould()
        .callMethod(Math.class, "log10", double.class)
        .orShould()
        .callMethod(Math.class, "expm1", double.class)
        .orShould()
        .callMethod(Math.class, "log1p", double.class)
        .check(core);
  }

  /** Nothing in the core reads the environment: the same commands give the same events anywhere. */
  @Test
  void coreReadsNoEnvironment() {
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core..")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "getProperty", String.class)
        .orShould()
        .callMethod(System.class, "getProperty", String.class, String.class)
        .orShould()
        .callMethod(System.class, "getProperties")
        .check(core);
  }

  /**
   * Mechanisms see the state only through {@code MarketContext}: nothing in the mechanism package
   * knows the engine, its ledger or its margin arithmetic.
   */
  @Test
  void mechanismsReachTheStateOnlyThroughTheirContext() {
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core.mechanism..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.backstop.core.engine..")
        .check(core);
  }

  /**
   * The engine calls mechanisms through their interfaces, built by the one factory: it names no
   * implementation, so a new venue idea is a new class and a line in {@code Mechanisms.of}.
   */
  @Test
  void theEngineNamesNoMechanismImplementation() {
    DescribedPredicate<JavaClass> implementation =
        JavaClass.Predicates.resideInAPackage("dev.backstop.core.mechanism..")
            .and(DescribedPredicate.not(JavaClass.Predicates.INTERFACES))
            .and(
                DescribedPredicate.not(
                    JavaClass.Predicates.simpleName("Mechanisms")
                        .or(JavaClass.Predicates.simpleName("Candidates"))));
    noClasses()
        .that()
        .resideInAPackage("dev.backstop.core.engine..")
        .should()
        .dependOnClassesThat(implementation)
        .check(core);
  }
}
