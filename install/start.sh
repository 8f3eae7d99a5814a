#!/usr/bin/env bash
# The container's entrypoint (tini runs it as PID 1's child).
#
#   start.sh               JupyterLab on $JUPYTER_PORT (8888), serving $GPUSH_WORK
#   start.sh gpush [ARGS]  the gpush shell (docker run -it ... gpush)
#   start.sh CMD [ARGS]    any command
#
# Rules:
# - First it checks what users trip over and says so in plain words on stderr; none of these stops the start:
#   no GPU or driver visible (the --gpus all hint), a driver older than CUDA 13 needs (580), /dev/shm at Docker's
#   64 MB default (the --shm-size / --ipc=host hint), a work folder this user cannot write.
# - Jupyter never runs open: the token is $JUPYTER_TOKEN, or a random one printed at start; $JUPYTER_PASSWORD_HASH
#   (from jupyter_server.auth.passwd) replaces the token with a password.
# - ENABLE_SSH=1 starts sshd as this user on $SSH_PORT (2222): keys only, no passwords, no root. The keys come from
#   $SSH_AUTHORIZED_KEYS and from the file $GPUSH_SSH_KEYS_FILE; with none, sshd is not started. Host keys are made at
#   the first start under $GPUSH_SSH_DIR, never baked into the image.
# - What it probes can be moved, for tests: GPUSH_PROC_DRIVER (/proc/driver/nvidia), GPUSH_DEV_DIR (/dev),
#   GPUSH_SHM_PATH (/dev/shm), GPUSH_JUPYTER_PORT_FILE (/tmp/gpush-jupyter.port, for healthcheck.sh); nvidia-smi, df,
#   id and sshd are taken from the PATH. GPUSH_DRY_RUN=1 prepares the same files but prints the commands it would
#   start or exec instead of running them.
set -euo pipefail

readonly MIN_DRIVER=580          # CUDA 13.x needs an R580 driver or newer
readonly SMALL_SHM_KB=1048576    # below 1 GiB of /dev/shm, DataLoader workers and NCCL run short

proc_driver=${GPUSH_PROC_DRIVER:-/proc/driver/nvidia}
dev_dir=${GPUSH_DEV_DIR:-/dev}
shm_path=${GPUSH_SHM_PATH:-/dev/shm}
work=${GPUSH_WORK:-$HOME/work}
ssh_dir=${GPUSH_SSH_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/gpush/sshd}
ssh_keys_file=${GPUSH_SSH_KEYS_FILE:-/etc/gpush/authorized_keys}
jupyter_port=${JUPYTER_PORT:-8888}
ssh_port=${SSH_PORT:-2222}
port_file=${GPUSH_JUPYTER_PORT_FILE:-/tmp/gpush-jupyter.port}
dry_run=${GPUSH_DRY_RUN:-0}

note() { echo "gpush: $*" >&2; }

# Runs a command in the background, or says it would.
start() {
  if [[ $dry_run == 1 ]]; then echo "would start: $*"; else "$@"; fi
}

# Replaces this script with a command, or says it would.
run() {
  if [[ $dry_run == 1 ]]; then echo "would exec: $*"; exit 0; fi
  exec "$@"
}

# --- the checks -----------------------------------------------------------------------------------------------------

check_gpu() {
  local version='' smi
  if command -v nvidia-smi >/dev/null; then
    if smi=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>&1) && [[ $smi =~ ^[0-9] ]]; then
      version=${smi%%$'\n'*}
    else
      note "no GPU is visible: nvidia-smi says: ${smi%%$'\n'*}"
      note "  Start the container with --gpus all (the host needs the NVIDIA driver and the NVIDIA Container Toolkit)."
      note "  gpush runs on the CPU until then."
      return 0
    fi
  elif [[ -r $proc_driver/version && -e $dev_dir/nvidiactl ]]; then
    version=$(sed -n 's/.*Kernel Module[^0-9]*\([0-9][0-9.]*\).*/\1/p' "$proc_driver/version" | head -n 1)
  else
    note "no GPU is visible in this container (no nvidia-smi, no $dev_dir/nvidiactl)."
    note "  Start it with --gpus all (the host needs the NVIDIA driver and the NVIDIA Container Toolkit)."
    note "  gpush runs on the CPU until then."
    return 0
  fi
  if [[ $version =~ ^([0-9]+)\. ]] && (( BASH_REMATCH[1] < MIN_DRIVER )); then
    note "the NVIDIA driver is $version, too old for CUDA 13, which needs $MIN_DRIVER or newer."
    note "  Update the driver on the host; gpush runs on the CPU until then."
  fi
}

check_shm() {
  local size
  size=$(df -Pk "$shm_path" 2>/dev/null | awk 'NR == 2 { print $2 }') || return 0
  [[ $size =~ ^[0-9]+$ ]] || return 0
  if (( size < SMALL_SHM_KB )); then
    note "$shm_path is $(( size / 1024 )) MB$( (( size == 65536 )) && echo ", Docker's default")."
    note "  DataLoader workers and NCCL between processes need more: start the container with --shm-size=8g or --ipc=host."
  fi
}

check_work() {
  if [[ -d $work && ! -w $work ]]; then
    note "$work is not writable by $(id -un) (uid $(id -u)): notebooks cannot be saved there."
    note "  Make the mounted folder writable by uid $(id -u) (chown $(id -u) DIR), or mount another."
  fi
}

# --- ssh ------------------------------------------------------------------------------------------------------------

start_ssh() {
  local keys=$ssh_dir/authorized_keys
  if [[ $(id -u) == 0 ]]; then
    note "ENABLE_SSH=1 is refused for root: run the container as its own user (uid 1000), which ssh logs in as."
    return 0
  fi
  mkdir -p "$ssh_dir"
  chmod 700 "$ssh_dir"
  : > "$keys"
  [[ -n ${SSH_AUTHORIZED_KEYS:-} ]] && printf '%s\n' "$SSH_AUTHORIZED_KEYS" >> "$keys"
  [[ -r $ssh_keys_file ]] && cat "$ssh_keys_file" >> "$keys"
  chmod 600 "$keys"
  if ! grep -Eq '^(ssh-|ecdsa-|sk-)' "$keys"; then
    note "ENABLE_SSH=1 but no public key was given, so sshd is not started (it never accepts passwords)."
    note "  Pass one with -e SSH_AUTHORIZED_KEYS=\"\$(cat ~/.ssh/id_ed25519.pub)\" or mount a file at $ssh_keys_file."
    return 0
  fi
  if [[ ! -f $ssh_dir/ssh_host_ed25519_key ]]; then
    ssh-keygen -q -t ed25519 -N '' -C "gpush host key" -f "$ssh_dir/ssh_host_ed25519_key"
  fi
  cat > "$ssh_dir/sshd_config" <<EOF
# written by start.sh at each start
Port $ssh_port
HostKey $ssh_dir/ssh_host_ed25519_key
PidFile $ssh_dir/sshd.pid
AuthorizedKeysFile $keys
AllowUsers $(id -un)
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
PermitEmptyPasswords no
UsePAM no
X11Forwarding no
PrintMotd no
Subsystem sftp internal-sftp
EOF
  start "$(command -v sshd || echo /usr/sbin/sshd)" -f "$ssh_dir/sshd_config" -E "$ssh_dir/sshd.log"
  note "sshd listens on port $ssh_port for $(id -un), keys only."
}

# --- jupyter --------------------------------------------------------------------------------------------------------

run_jupyter() {
  local auth=()
  if [[ -n ${JUPYTER_PASSWORD_HASH:-} ]]; then
    # the password replaces the token; an empty token with no password would leave Jupyter open, so never both
    export JUPYTER_TOKEN=
    auth=("--PasswordIdentityProvider.hashed_password=$JUPYTER_PASSWORD_HASH")
    note "JupyterLab on port $jupyter_port asks for the password whose hash is in JUPYTER_PASSWORD_HASH."
  elif [[ -n ${JUPYTER_TOKEN:-} ]]; then
    note "JupyterLab on port $jupyter_port asks for the token given in JUPYTER_TOKEN."
  else
    JUPYTER_TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
    export JUPYTER_TOKEN
    note "JupyterLab: http://127.0.0.1:$jupyter_port/lab?token=$JUPYTER_TOKEN"
    note "  (a random token; set JUPYTER_TOKEN or JUPYTER_PASSWORD_HASH to choose one)"
  fi
  [[ $dry_run == 1 ]] || echo "$jupyter_port" > "$port_file"   # healthcheck.sh asks this port
  run jupyter lab --no-browser --ip=0.0.0.0 --port="$jupyter_port" --ServerApp.root_dir="$work" "${auth[@]}"
}

# --- main -----------------------------------------------------------------------------------------------------------

check_gpu
check_shm
check_work
[[ ${ENABLE_SSH:-0} == 1 ]] && start_ssh

if (( $# == 0 )); then
  run_jupyter
fi
run "$@"
