/* The copy fallback of the throwaway layer: a rootfs copied into a tmpfs where overlayfs is refused. */
#ifndef SANDBOX_TREE_COPY_H
#define SANDBOX_TREE_COPY_H

/*
 * Copies the tree at SOURCE into the existing empty directory TARGET: directories, regular files,
 * symlinks, fifos and device nodes, with their modes, owners (where the namespace maps them) and
 * modification times. Hard links become separate copies. The source is only read.
 */
int tree_copy(const char *source, const char *target);

#endif
