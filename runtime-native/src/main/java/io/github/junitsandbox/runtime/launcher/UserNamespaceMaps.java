package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.ContainerUser;
import io.github.junitsandbox.runtime.UnsupportedHostException;
import io.github.junitsandbox.runtime.os.ThisProcess;
import io.github.junitsandbox.runtime.os.SubordinateIds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The uid and gid maps of a container's user namespace, each line {@code INSIDE HOST COUNT}. Root maps the first 65536
 * ids as themselves. A user who is not root maps its own ids to 0; when the container's user is another one, ids 1 and
 * up map onto the user's subordinate range, written by the setuid helpers (a plain user may map only itself).
 *
 * @param helpers newuidmap and newgidmap, when the maps need them
 */
public record UserNamespaceMaps(List<long[]> uid, List<long[]> gid, Optional<List<Path>> helpers) {

    private static final long[] ROOT_IDENTITY = {0, 0, 65536};

    /**
     * The maps for a container whose processes run as {@code user}.
     *
     * @param userOrigin where {@code user} came from, for messages ({@code user = "1000:1000"}, {@code the image's User})
     * @throws UnsupportedHostException where another uid is needed and the user has no subordinate range or no helpers
     */
    public static UserNamespaceMaps of(ContainerUser user, String userOrigin) {
        if (ThisProcess.isRoot()) {
            return new UserNamespaceMaps(List.<long[]>of(ROOT_IDENTITY), List.<long[]>of(ROOT_IDENTITY), Optional.empty());
        }
        long uid = ThisProcess.euid();
        long gid = ThisProcess.egid();
        List<long[]> uidMap = new ArrayList<>(List.<long[]>of(new long[] {0, uid, 1}));
        List<long[]> gidMap = new ArrayList<>(List.<long[]>of(new long[] {0, gid, 1}));
        if (user.equals(ContainerUser.ROOT)) {
            return new UserNamespaceMaps(uidMap, gidMap, Optional.empty());
        }
        String name = System.getProperty("user.name");
        String need = userOrigin + " needs ids other than " + name + "'s own inside the container's user namespace";
        SubordinateIds.Range uids = SubordinateIds.firstRange(SubordinateIds.SUBUID, name, uid).orElseThrow(() -> missingRange(need, name, SubordinateIds.SUBUID));
        SubordinateIds.Range gids = SubordinateIds.firstRange(SubordinateIds.SUBGID, name, uid).orElseThrow(() -> missingRange(need, name, SubordinateIds.SUBGID));
        if (user.uid() > uids.count() || user.gid() > gids.count()) {
            throw new UnsupportedHostException(need + ": uid " + user.uid() + " and gid " + user.gid() + " inside fall outside the " + uids.count()
                    + " subordinate uids and " + gids.count() + " gids granted to " + name + " (" + SubordinateIds.SUBUID + ", " + SubordinateIds.SUBGID
                    + "); as root, grant a larger range (usermod --add-subuids START-END --add-subgids START-END " + name + "), or use a smaller id");
        }
        Path newuidmap = SubordinateIds.helper("newuidmap").orElseThrow(() -> missingHelpers(need));
        Path newgidmap = SubordinateIds.helper("newgidmap").orElseThrow(() -> missingHelpers(need));
        uidMap.add(new long[] {1, uids.start(), uids.count()});
        gidMap.add(new long[] {1, gids.start(), gids.count()});
        return new UserNamespaceMaps(uidMap, gidMap, Optional.of(List.of(newuidmap, newgidmap)));
    }

    /** The launcher's flags: {@code --uid-map}/{@code --gid-map} lines and, when needed, {@code --id-map-helpers}. */
    List<String> launcherArguments() {
        List<String> args = new ArrayList<>();
        uid.forEach(line -> args.addAll(List.of("--uid-map", line(line))));
        gid.forEach(line -> args.addAll(List.of("--gid-map", line(line))));
        helpers.ifPresent(paths -> {
            args.add("--id-map-helpers");
            paths.forEach(p -> args.add(p.toString()));
        });
        return args;
    }

    private static String line(long[] entry) {
        return entry[0] + " " + entry[1] + " " + entry[2];
    }

    private static UnsupportedHostException missingRange(String need, String name, Path file) {
        return new UnsupportedHostException(need + ", and " + file + " grants " + name + " no subordinate range: as root, run `"
                + SubordinateIds.addRangeCommand(name) + "` (what useradd gives a new user on Debian and Ubuntu), or leave user unset (0:0 inside)");
    }

    private static UnsupportedHostException missingHelpers(String need) {
        return new UnsupportedHostException(need + ", which the setuid helpers newuidmap and newgidmap map, and they are not installed:"
                + " apt-get install uidmap (Debian, Ubuntu), dnf install shadow-utils (Fedora)");
    }
}
