import Foundation
import Testing
@testable import Quarry

/// The default `--jobs`: the affinity mask, and a control group's CPU limit.
@Suite struct CoresTests {
    @Test func theCoresAllowedComeFromTheAffinityMask() {
        #expect(Cores.allowedCores(status: "Name:\tquarry\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n") == 2)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\t1\n") == 1)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\tffffffff,ffffffff\n") == 64)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\t00000000,00000010\n") == 1)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\t0\n") == nil)
        #expect(Cores.allowedCores(status: "Name:\tquarry\n") == nil)
    }

    @Test func limitFilesReadAsCores() {
        #expect(Cores.cpuMax("150000 100000\n") == 1.5)
        #expect(Cores.cpuMax("max 100000\n") == nil)
        #expect(Cores.cpuMax("") == nil)
        #expect(Cores.cpuMax(nil) == nil)
        #expect(Cores.cfsQuota("50000\n", period: "100000\n") == 0.5)
        #expect(Cores.cfsQuota("-1\n", period: "100000\n") == nil)
        #expect(Cores.cfsQuota("200000", period: nil) == nil)
    }

    /// A machine of cgroup v2 only, as Debian 12 or a recent Docker has it: the
    /// process's group and each group above it, the lowest limit winning, rounded up.
    static let version2Mounts = """
        22 28 0:21 / /sys rw,nosuid - sysfs sysfs rw
        26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate
        """

    @Test func aVersion2LimitOnTheGroupOrAbove() {
        let groups = "0::/system.slice/job.scope\n"
        func limit(_ files: [String: String]) -> Int? {
            Cores.limitCores(cgroup: groups, mountinfo: Self.version2Mounts) { files[$0] }
        }
        #expect(limit([:]) == nil)
        #expect(limit(["/sys/fs/cgroup/system.slice/job.scope/cpu.max": "max 100000\n"]) == nil)
        #expect(limit(["/sys/fs/cgroup/system.slice/job.scope/cpu.max": "150000 100000\n"]) == 2)
        #expect(limit(["/sys/fs/cgroup/system.slice/job.scope/cpu.max": "100000 100000\n"]) == 1)
        #expect(limit(["/sys/fs/cgroup/system.slice/job.scope/cpu.max": "20000 100000\n"]) == 1)
        #expect(limit(["/sys/fs/cgroup/system.slice/cpu.max": "300000 100000\n",
                       "/sys/fs/cgroup/system.slice/job.scope/cpu.max": "max 100000\n"]) == 3)
        #expect(limit(["/sys/fs/cgroup/system.slice/cpu.max": "300000 100000\n",
                       "/sys/fs/cgroup/system.slice/job.scope/cpu.max": "400000 100000\n"]) == 3)
        #expect(limit(["/sys/fs/cgroup/system.slice/cpu.max": "400000 100000\n",
                       "/sys/fs/cgroup/system.slice/job.scope/cpu.max": "300000 100000\n"]) == 3)
        // A group that is not the process's sets nothing.
        #expect(limit(["/sys/fs/cgroup/user.slice/cpu.max": "100000 100000\n"]) == nil)
    }

    /// Inside a container, the mount shows the container's own group as its root
    /// ("/" in its own cgroup namespace, or the group's path on the host).
    @Test func aContainersGroupIsTheMountsRoot() {
        let mounts = "40 30 0:35 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n"
        let files = ["/sys/fs/cgroup/cpu.max": "250000 100000\n"]
        #expect(Cores.limitCores(cgroup: "0::/docker/abc\n", mountinfo: mounts) { files[$0] } == 3)
        let namespaced = "40 30 0:35 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n"
        #expect(Cores.limitCores(cgroup: "0::/\n", mountinfo: namespaced) { files[$0] } == 3)
    }

    /// cgroup v1, as on this project's build machines: the hierarchy that holds the
    /// cpu controller (alone or with cpuacct), not the others.
    @Test func aVersion1QuotaOfTheCPUController() {
        let mounts = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """
        let groups = "4:memory:/other\n2:cpu,cpuacct:/batch\n0::/\n"
        let files = [
            "/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_quota_us": "150000\n",
            "/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_period_us": "100000\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
            "/sys/fs/cgroup/memory/other/cpu.cfs_quota_us": "10000\n",
            "/sys/fs/cgroup/memory/other/cpu.cfs_period_us": "100000\n",
        ]
        #expect(Cores.limitCores(cgroup: groups, mountinfo: mounts) { files[$0] } == 2)
        #expect(Cores.limitCores(cgroup: "2:cpu,cpuacct:/\n0::/\n", mountinfo: mounts) { files[$0] } == nil)
    }

    @Test func aMountPointWithASpaceIsDecoded() {
        let mounts = "40 30 0:35 / /mnt/cg\\040two rw - cgroup2 cgroup2 rw\n"
        let files = ["/mnt/cg two/cpu.max": "100000 100000\n"]
        #expect(Cores.limitCores(cgroup: "0::/\n", mountinfo: mounts) { files[$0] } == 1)
    }

    /// This machine's own answer: at least one core, and no more than those online.
    @Test func theProcessHasAtLeastOneCore() {
        #expect(Cores.available >= 1)
        #expect(Cores.available <= max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
