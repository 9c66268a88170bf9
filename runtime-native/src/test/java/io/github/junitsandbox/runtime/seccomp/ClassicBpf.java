package io.github.junitsandbox.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader and interpreter of classic BPF as the kernel's seccomp runs it, for tests: it checks a
 * program the way the kernel's filter checker does (known opcodes, jumps inside the program,
 * loads inside {@code struct seccomp_data}, a return at the end) and evaluates it for a given system
 * call, so that a compiled program's decisions can be observed for every architecture it covers,
 * including those this machine cannot run binaries of.
 */
final class ClassicBpf {
    /** BPF_MAXINSNS: the kernel refuses longer programs. */
    static final int MAX_INSTRUCTIONS = 4096;
    /** sizeof(struct seccomp_data): nr, arch, instruction_pointer, args[6]. */
    static final int SECCOMP_DATA_SIZE = 64;
    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    static final int AUDIT_ARCH_I386 = 0x40000003;
    static final int X32_SYSCALL_BIT = 0x40000000;

    static final int LD_W_ABS = 0x20;

    record Instruction(int code, int jt, int jf, int k) {
    }

    /** The input of a seccomp filter. */
    record SeccompData(int nr, int arch, long... args) {
    }

    private final List<Instruction> instructions;

    private ClassicBpf(List<Instruction> instructions) {
        this.instructions = instructions;
    }

    static ClassicBpf decode(byte[] program) {
        ByteBuffer in = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        List<Instruction> list = new ArrayList<>();
        while (in.remaining() >= 8) {
            list.add(new Instruction(in.getShort() & 0xffff, in.get() & 0xff, in.get() & 0xff, in.getInt()));
        }
        return new ClassicBpf(List.copyOf(list));
    }

    List<Instruction> instructions() {
        return instructions;
    }

    /** What the kernel's checker would refuse, one line per problem; empty for a valid program. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (instructions.isEmpty() || instructions.size() > MAX_INSTRUCTIONS) {
            problems.add("length " + instructions.size() + " not in 1.." + MAX_INSTRUCTIONS);
            return problems;
        }
        for (int pc = 0; pc < instructions.size(); pc++) {
            Instruction insn = instructions.get(pc);
            int cls = insn.code() & 0x07;
            switch (cls) {
                case 0x00, 0x01 -> {
                    int mode = insn.code() & 0xe0;
                    if (mode == 0x20 && (insn.k() < 0 || insn.k() >= SECCOMP_DATA_SIZE || insn.k() % 4 != 0 || cls != 0)) {
                        problems.add(pc + ": load outside seccomp_data or unaligned: " + insn);
                    } else if (mode == 0x60 && (insn.k() < 0 || insn.k() >= 16)) {
                        problems.add(pc + ": scratch memory slot out of range: " + insn);
                    } else if (mode != 0x00 && mode != 0x20 && mode != 0x60 && mode != 0x80) {
                        problems.add(pc + ": load mode seccomp does not allow: " + insn);
                    }
                }
                case 0x05 -> {
                    int op = insn.code() & 0xf0;
                    long farthest = op == 0x00 ? Integer.toUnsignedLong(insn.k()) : Math.max(insn.jt(), insn.jf());
                    if (pc + 1 + farthest >= instructions.size()) {
                        problems.add(pc + ": jump beyond the end: " + insn);
                    }
                }
                case 0x02, 0x03, 0x04, 0x06, 0x07 -> {
                }
                default -> problems.add(pc + ": unknown instruction class: " + insn);
            }
        }
        if ((instructions.get(instructions.size() - 1).code() & 0x07) != 0x06) {
            problems.add("the last instruction is not a return");
        }
        return problems;
    }

    /** The filter's verdict (SECCOMP_RET_* with its data) for one system call. */
    int run(SeccompData data) {
        return trace(data).verdict();
    }

    /** A run of the filter: its verdict, and how many instructions it took to get there (the kernel's work per call). */
    record Trace(int verdict, int instructionsRun) {
    }

    Trace trace(SeccompData data) {
        ByteBuffer in = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.nativeOrder());
        in.putInt(0, data.nr()).putInt(4, data.arch());
        for (int i = 0; i < data.args().length; i++) {
            in.putLong(16 + 8 * i, data.args()[i]);
        }
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        int pc = 0;
        for (int steps = 1;; steps++) {
            Instruction insn = instructions.get(pc++);
            int code = insn.code();
            int k = insn.k();
            int src = (code & 0x08) == 0 ? k : x;
            switch (code & 0x07) {
                case 0x00 -> a = load(in, code, k, mem);
                case 0x01 -> x = load(in, code, k, mem);
                case 0x02 -> mem[k] = a;
                case 0x03 -> mem[k] = x;
                case 0x04 -> a = alu(code & 0xf0, a, src);
                case 0x05 -> pc += jump(code & 0xf0, a, src, insn);
                case 0x06 -> {
                    int rval = code & 0x18;
                    return new Trace(rval == 0x00 ? k : rval == 0x10 ? a : x, steps);
                }
                case 0x07 -> {
                    if ((code & 0xf8) == 0x80) {
                        a = x;
                    } else {
                        x = a;
                    }
                }
                default -> throw new IllegalStateException("unknown instruction " + insn);
            }
        }
    }

    private static int load(ByteBuffer in, int code, int k, int[] mem) {
        return switch (code & 0xe0) {
            case 0x00 -> k;
            case 0x20 -> in.getInt(k);
            case 0x60 -> mem[k];
            case 0x80 -> SECCOMP_DATA_SIZE;
            default -> throw new IllegalStateException("load mode 0x" + Integer.toHexString(code));
        };
    }

    private static int alu(int op, int a, int operand) {
        return switch (op) {
            case 0x00 -> a + operand;
            case 0x10 -> a - operand;
            case 0x20 -> a * operand;
            case 0x30 -> Integer.divideUnsigned(a, operand);
            case 0x40 -> a | operand;
            case 0x50 -> a & operand;
            case 0x60 -> a << operand;
            case 0x70 -> a >>> operand;
            case 0x80 -> -a;
            case 0x90 -> Integer.remainderUnsigned(a, operand);
            case 0xa0 -> a ^ operand;
            default -> throw new IllegalStateException("ALU op 0x" + Integer.toHexString(op));
        };
    }

    private static int jump(int op, int a, int operand, Instruction insn) {
        boolean taken = switch (op) {
            case 0x00 -> true;
            case 0x10 -> a == operand;
            case 0x20 -> Integer.compareUnsigned(a, operand) > 0;
            case 0x30 -> Integer.compareUnsigned(a, operand) >= 0;
            case 0x40 -> (a & operand) != 0;
            default -> throw new IllegalStateException("jump op 0x" + Integer.toHexString(op));
        };
        if (op == 0x00) {
            return insn.k();
        }
        return taken ? insn.jt() : insn.jf();
    }
}
