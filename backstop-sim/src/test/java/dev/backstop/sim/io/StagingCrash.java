package dev.backstop.sim.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A process for {@link AtomicFileTest} to kill: stages {@code new TARGET} for each target given,
 * then either waits forever once every file is staged ({@code staged}), to be killed while writing,
 * or stops dead ({@link Runtime#halt}, like a kill: no cleanup) just before the move of the target
 * numbered {@code N} ({@code moves N}). It prints {@code staged} when its files are staged.
 */
public final class StagingCrash {

  private StagingCrash() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    String mode = args[0];
    int stopAt = mode.equals("moves") ? Integer.parseInt(args[1]) : -1;
    List<AtomicFile> files = new ArrayList<>();
    for (int i = mode.equals("moves") ? 2 : 1; i < args.length; i++) {
      Path target = Path.of(args[i]);
      AtomicFile file = AtomicFile.create(target);
      file.writer().write("new " + target.getFileName() + "\n");
      file.writer().flush();
      files.add(file);
    }
    System.out.println("staged");
    System.out.flush();
    if (stopAt < 0) {
      Thread.sleep(Long.MAX_VALUE);
    }
    int[] moves = {0};
    AtomicFile.commitAll(
        files,
        (staged, target) -> {
          if (moves[0]++ == stopAt) {
            Runtime.getRuntime().halt(9);
          }
          StagingArea.move(staged, target);
        });
  }
}
