// The machine: disks, partition tables, shutdown, killing every process.
import { describe, it } from 'vitest';
import { assertAllowed, assertDenied } from './helpers.js';

describe('disks are never touched', () => {
  it.each([
    ['dd if=/dev/zero of=/dev/sda', 'disk-write'],
    ['dd if=/dev/urandom of=/dev/nvme0n1 bs=4M', 'disk-write'],
    ['sudo dd if=image.iso of=/dev/sdb status=progress', 'disk-write'],
    ['cat /dev/zero > /dev/sda', 'disk-write'],
    ['echo x > /dev/vda1', 'disk-write'],
    ['cp image.img /dev/mmcblk0', 'disk-write'],
    ['shred /dev/sda', 'disk-write'],
    ['mkfs.ext4 /dev/sda1', 'disk-format'],
    ['mkfs -t xfs /dev/sdb', 'disk-format'],
    ['sudo mkfs.vfat -F 32 /dev/sdc1', 'disk-format'],
    ['mke2fs /dev/sdb1', 'disk-format'],
    ['mkswap /dev/sda2', 'disk-format'],
    ['wipefs -a /dev/sda', 'disk-format'],
    ['wipefs --all /dev/nvme0n1', 'disk-format'],
    ['fdisk /dev/sda', 'disk-format'],
    ['sfdisk /dev/sda < layout.txt', 'disk-format'],
    ['parted /dev/sda mklabel gpt', 'disk-format'],
    ['parted -s /dev/sda rm 1', 'disk-format'],
    ['sgdisk --zap-all /dev/sda', 'disk-format'],
    ['gdisk /dev/sdb', 'disk-format'],
    ['blkdiscard /dev/nvme0n1', 'disk-format'],
    ['cryptsetup luksFormat /dev/sdb1', 'disk-format'],
    ['hdparm --security-erase NULL /dev/sda', 'disk-format'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));

  it.each(['fdisk -l', 'fdisk -l /dev/sda', 'parted -l', 'parted /dev/sda print', 'lsblk', 'df -h', 'sfdisk -l /dev/sda', 'wipefs /dev/sda', 'mkfs.ext4 -F /tmp/disk.img', 'mkfs.ext4 build/rootfs.img', 'dd if=/dev/sda of=/tmp/mbr.bin bs=512 count=1', 'hdparm -I /dev/sda', 'blkid'])(
    '%s is allowed',
    (command) => assertAllowed(command),
  );
});

describe('taking the machine down', () => {
  it.each([
    ['shutdown -h now', 'system-shutdown'],
    ['sudo shutdown -r +1', 'system-shutdown'],
    ['reboot', 'system-shutdown'],
    ['halt', 'system-shutdown'],
    ['poweroff', 'system-shutdown'],
    ['init 0', 'system-shutdown'],
    ['telinit 6', 'system-shutdown'],
    ['systemctl poweroff', 'system-shutdown'],
    ['sudo systemctl reboot', 'system-shutdown'],
    ['systemctl isolate rescue.target', 'system-shutdown'],
    ['kill -9 -1', 'kill-all-processes'],
    ['kill -KILL -1', 'kill-all-processes'],
    ['kill -s KILL -1', 'kill-all-processes'],
    ['kill -- -1', 'kill-all-processes'],
    ['kill -1', 'kill-all-processes'],
    ['kill -9 0', 'kill-all-processes'],
    ['sudo kill -9 -1', 'kill-all-processes'],
    ['killall5 -9', 'kill-all-processes'],
    ['pkill -u dev', 'kill-all-processes'],
    ['pkill -9 -f .', 'kill-all-processes'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));

  it.each(['shutdown -c', 'kill 12345', 'kill -9 4242', 'kill -TERM $(cat server.pid)', 'kill %1', 'kill -l', 'pkill -f "node server.js"', 'killall node', 'systemctl status docker', 'systemctl --user restart app', 'sudo systemctl restart nginx', 'uptime'])(
    '%s is allowed (sudo asks separately)',
    (command) => {
      if (command.startsWith('sudo')) return;
      assertAllowed(command);
    },
  );
});
