// Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK), so that the
// dynamic loader accepts the library even where the named version is missing.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so asks libstdc++.so.6 for GLIBCXX_3.4.32, but Debian 12
// ships libstdc++ up to GLIBCXX_3.4.30. Only one symbol that nothing calls carries that version,
// so a weak requirement loads and runs correctly. See build/TorchSharpNativeFix.targets.
//
// It is written for netstandard2.0 (what RoslynCodeTaskFactory compiles against): no records.
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (as the WeakenElfVersionNeed task)
// and into tests/Pipeline.Modeling.Tests with ELF_VERSION_TOOLS_ONLY defined (the ELF code only).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

#if !ELF_VERSION_TOOLS_ONLY
public class WeakenElfVersionNeed : Microsoft.Build.Utilities.Task
{
    /// <summary>Shared libraries to patch in place (copies in an output or publish folder).</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    /// <summary>The library the requirement is on, e.g. libstdc++.so.6.</summary>
    [Microsoft.Build.Framework.Required]
    public string Dependency { get; set; } = "";

    /// <summary>The symbol version to make weak, e.g. GLIBCXX_3.4.32.</summary>
    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = "";

    /// <summary>Where the running system's copy of <see cref="Dependency"/> may be; the first that exists is checked.</summary>
    public string[] SystemLibraryCandidates { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        string? systemLibrary = null;
        foreach (var candidate in SystemLibraryCandidates)
        {
            if (File.Exists(candidate)) { systemLibrary = candidate; break; }
        }
        if (systemLibrary is not null && ElfVersionTools.DefinesVersion(systemLibrary, Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                $"{systemLibrary} defines {Version}; TorchSharp's native library needs no patch.");
            return true;
        }

        foreach (var item in Libraries)
        {
            var path = item.ItemSpec;
            var changed = ElfVersionTools.WeakenVersionNeed(path, Dependency, Version);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, changed
                ? $"Marked the {Version} requirement of {path} weak (system {Dependency}: {systemLibrary ?? "not found"} lacks it)."
                : $"{path}: the {Version} requirement is already weak.");
        }
        return !Log.HasLoggedErrors;
    }
}
#endif

/// <summary>Reads and edits the GNU symbol-versioning sections of a 64-bit little-endian ELF file.</summary>
public static class ElfVersionTools
{
    public const ushort VerFlagWeak = 0x2;
    private const uint SectionTypeVerdef = 0x6ffffffd;   // SHT_GNU_verdef
    private const uint SectionTypeVerneed = 0x6ffffffe;  // SHT_GNU_verneed

    /// <summary>One Vernaux entry: a version required from a dependency, where its flags live in the file.</summary>
    public sealed class VersionNeed
    {
        public VersionNeed(string dependency, string version, ushort flags, long flagsOffset)
        {
            Dependency = dependency; Version = version; Flags = flags; FlagsOffset = flagsOffset;
        }

        public string Dependency { get; }
        public string Version { get; }
        public ushort Flags { get; }
        /// <summary>File offset of vna_flags (u16, little-endian).</summary>
        public long FlagsOffset { get; }
    }

    /// <summary>Every Vernaux entry of .gnu.version_r, in file order.</summary>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(byte[] elf, string fileName)
    {
        var section = FindSection(elf, fileName, ".gnu.version_r", SectionTypeVerneed);
        var strings = ReadSection(elf, fileName, section.Link);
        var needs = new List<VersionNeed>();
        long verneed = section.Offset;
        for (var i = 0u; i < section.Info; i++)
        {
            // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
            var count = U16(elf, verneed + 2, fileName);
            var dependency = CString(elf, strings.Offset + U32(elf, verneed + 4, fileName), fileName);
            long vernaux = verneed + U32(elf, verneed + 8, fileName);
            for (var j = 0; j < count; j++)
            {
                // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                var version = CString(elf, strings.Offset + U32(elf, vernaux + 8, fileName), fileName);
                needs.Add(new VersionNeed(dependency, version, U16(elf, vernaux + 4, fileName), vernaux + 4));
                vernaux += U32(elf, vernaux + 12, fileName);
            }
            var next = U32(elf, verneed + 12, fileName);
            if (next == 0) break;
            verneed += next;
        }
        return needs;
    }

    /// <summary>The version names a library defines in .gnu.version_d (e.g. GLIBCXX_3.4.30).</summary>
    public static IReadOnlyList<string> ReadVersionDefinitions(byte[] elf, string fileName)
    {
        var section = FindSection(elf, fileName, ".gnu.version_d", SectionTypeVerdef);
        var strings = ReadSection(elf, fileName, section.Link);
        var names = new List<string>();
        long verdef = section.Offset;
        for (var i = 0u; i < section.Info; i++)
        {
            // Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32;
            // the first Verdaux (vda_name u32, vda_next u32) names the version.
            long verdaux = verdef + U32(elf, verdef + 12, fileName);
            names.Add(CString(elf, strings.Offset + U32(elf, verdaux, fileName), fileName));
            var next = U32(elf, verdef + 16, fileName);
            if (next == 0) break;
            verdef += next;
        }
        return names;
    }

    public static bool DefinesVersion(string libraryPath, string version) =>
        ReadVersionDefinitions(File.ReadAllBytes(libraryPath), libraryPath).Contains(version);

    /// <summary>
    /// Sets VER_FLG_WEAK on the requirement of <paramref name="version"/> from <paramref name="dependency"/>.
    /// Returns false when it was already weak (the file is left untouched). The new bytes are written to a
    /// temporary file and moved over the original, so a hard link into the NuGet cache is never modified.
    /// </summary>
    public static bool WeakenVersionNeed(string libraryPath, string dependency, string version)
    {
        var elf = File.ReadAllBytes(libraryPath);
        VersionNeed? need = null;
        foreach (var candidate in ReadVersionNeeds(elf, libraryPath))
        {
            if (candidate.Dependency == dependency && candidate.Version == version) { need = candidate; break; }
        }
        if (need is null)
            throw new InvalidDataException($"{libraryPath}: .gnu.version_r has no requirement of {version} from {dependency}; " +
                "the TorchSharp native fix does not apply to this library (check the TorchSharp version).");
        if ((need.Flags & VerFlagWeak) != 0) return false;

        var flags = (ushort)(need.Flags | VerFlagWeak);
        elf[need.FlagsOffset] = (byte)flags;
        elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
        var temporary = libraryPath + ".weakening";
        File.WriteAllBytes(temporary, elf);
        File.Delete(libraryPath);
        File.Move(temporary, libraryPath);
        return true;
    }

    private sealed class Section
    {
        public Section(long offset, long size, uint link, uint info) { Offset = offset; Size = size; Link = link; Info = info; }
        public long Offset { get; }
        public long Size { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    private static Section FindSection(byte[] elf, string fileName, string name, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"{fileName} is not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{fileName} is not a 64-bit little-endian ELF file (class {elf[4]}, data {elf[5]}).");

        var sectionTable = (long)U64(elf, 0x28, fileName);   // e_shoff
        var entrySize = U16(elf, 0x3A, fileName);            // e_shentsize
        var count = U16(elf, 0x3C, fileName);                // e_shnum
        var namesIndex = U16(elf, 0x3E, fileName);           // e_shstrndx
        var sectionNames = (long)U64(elf, sectionTable + (long)namesIndex * entrySize + 24, fileName);
        for (var i = 0; i < count; i++)
        {
            // Elf64_Shdr: sh_name u32 @0, sh_type u32 @4, sh_offset u64 @24, sh_size u64 @32, sh_link u32 @40, sh_info u32 @44
            var header = sectionTable + (long)i * entrySize;
            if (CString(elf, sectionNames + U32(elf, header, fileName), fileName) != name) continue;
            if (U32(elf, header + 4, fileName) != type)
                throw new InvalidDataException($"{fileName}: section {name} has type 0x{U32(elf, header + 4, fileName):x}, expected 0x{type:x}.");
            return new Section((long)U64(elf, header + 24, fileName), (long)U64(elf, header + 32, fileName),
                U32(elf, header + 40, fileName), U32(elf, header + 44, fileName));
        }
        throw new InvalidDataException($"{fileName} has no {name} section.");
    }

    private static Section ReadSection(byte[] elf, string fileName, uint index)
    {
        var header = (long)U64(elf, 0x28, fileName) + (long)index * U16(elf, 0x3A, fileName);
        return new Section((long)U64(elf, header + 24, fileName), (long)U64(elf, header + 32, fileName),
            U32(elf, header + 40, fileName), U32(elf, header + 44, fileName));
    }

    private static void Check(byte[] elf, long offset, int length, string fileName)
    {
        if (offset < 0 || offset + length > elf.Length)
            throw new InvalidDataException($"{fileName}: offset 0x{offset:x} is past the end of the file ({elf.Length} bytes); the ELF file is truncated or corrupt.");
    }

    private static ushort U16(byte[] elf, long offset, string fileName)
    {
        Check(elf, offset, 2, fileName);
        return (ushort)(elf[offset] | elf[offset + 1] << 8);
    }

    private static uint U32(byte[] elf, long offset, string fileName)
    {
        Check(elf, offset, 4, fileName);
        return (uint)(elf[offset] | elf[offset + 1] << 8 | elf[offset + 2] << 16 | elf[offset + 3] << 24);
    }

    private static ulong U64(byte[] elf, long offset, string fileName) =>
        U32(elf, offset, fileName) | (ulong)U32(elf, offset + 4, fileName) << 32;

    private static string CString(byte[] elf, long offset, string fileName)
    {
        Check(elf, offset, 1, fileName);
        var end = offset;
        while (end < elf.Length && elf[end] != 0) end++;
        return Encoding.ASCII.GetString(elf, (int)offset, (int)(end - offset));
    }
}
