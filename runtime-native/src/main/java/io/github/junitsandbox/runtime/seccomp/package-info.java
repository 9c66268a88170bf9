/**
 * The seccomp filter of a container: the policy as data ({@link io.github.junitsandbox.runtime.seccomp.SeccompProfile},
 * read from Docker's profile JSON with the strict reader of {@code runtime.json}), the {@code seccomp} setting
 * ({@link io.github.junitsandbox.runtime.seccomp.SeccompPolicy}: {@code default}, {@code unconfined}
 * or a profile file), and its compilation to the classic BPF program that the launcher installs
 * with {@code --seccomp FILE} ({@link io.github.junitsandbox.runtime.seccomp.SeccompCompiler}, with
 * libseccomp through JNA, cached per profile and capability set).
 *
 * <p>The default profile ({@code default-profile.json} beside these classes) has the effect of
 * Docker's: calls not listed fail with EPERM, ordinary calls are allowed, {@code clone} only without
 * namespace flags, {@code clone3} fails with ENOSYS (its flags are out of a filter's reach, and the
 * C library then falls back to {@code clone}), {@code personality} only with harmless values, and
 * calls that act on the whole machine only for a process holding the capability that legitimises
 * them; kexec, swap and the removed or obsolete calls (vm86, uselib, nfsservctl...) are refused
 * whatever the capabilities. Where it is stricter than Docker, on purpose: {@code ptrace} and its
 * relatives need CAP_SYS_PTRACE on every kernel (Docker allows them from 4.8), and
 * {@code name_to_handle_at} needs CAP_SYS_ADMIN. {@code adjtimex} and {@code clock_adjtime} stay allowed as
 * in Docker: the kernel lets them change the clock only with CAP_SYS_TIME, and programs read the
 * clock's state with them.
 */
package io.github.junitsandbox.runtime.seccomp;
