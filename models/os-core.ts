/**
 * The operating system's own processes, as data: what Windows starts at every boot and every
 * interactive logon, and the shell's infrastructure it starts for a session, each with the one
 * program path, parents and argument shape it has there. Context never lists them
 * (context/context_event_features.sql marks them; context_candidates.sql leaves them out) but as the
 * alert's own event: they carry nothing an analyst reads, and a fleet's baseline sees them only when
 * its history holds a boot or a logon, so on a young fleet (or a lab recorded in short captures)
 * `services.exe`, `userinit.exe` and `explorer.exe` read "never on this host" and filled reports of
 * real captures with the lab's boot and desktop start-up. On a fleet with history they were
 * supplemental lines of every report whose tree or session holds them.
 *
 * A row matches only the genuine process: the full image path (a copy elsewhere is not it), the full
 * path of one of its documented parents (a `userinit.exe` started by anything but
 * `C:\Windows\System32\winlogon.exe` is not the logon's, whatever that parent is named) and its
 * argument shape, matched in full (RE2, case-insensitive, on the recorded command line after its
 * program; an event without a command line never matches). Service hosts are not here: a service's
 * own group (`svchost.exe -k <group>`) is how a service DLL persists, and a shared host runs a
 * hijacked service's DLL; nor are processes whose arguments come from elsewhere (a scheduled task's
 * `taskhostw.exe`, a COM server's).
 *
 * The same holds for the few programs a clean Windows 10 install itself registers to start with a
 * user's shell, the entries Sysinternals Autoruns marks as Windows' own (and hides with "Hide Windows
 * Entries"): the Windows Security tray icon (the `SecurityHealth` value of HKLM's Run key), OneDrive's
 * first-run set-up from the default profile's Run key (`OneDriveSetup ... /thfirstsetup`, which starts
 * one copy of itself for the user) and the Bluetooth Send To entry's per-user registration
 * (`fsquirt.exe -Register`). Only their system-directory programs with those exact arguments, started
 * by the shell: what they install under the user's profile (OneDrive's own programs in
 * AppData\Local, a user-writable path), any other Run-key or Startup-folder program, and a copy of
 * one of these elsewhere are judged like any process.
 *
 * Sources: SANS DFIR "Hunt Evil" poster (Windows core processes: image path, parent, instances),
 * Microsoft's documentation of the Winlogon start-up (userinit.exe, explorer.exe, LogonUI, dwm,
 * fontdrvhost) and of the session's shell infrastructure (sihost, ctfmon, rdpclip, RuntimeBroker);
 * for the shell's start-up programs, the Run keys of a clean Windows 10 (1809 to 21H2) image and of
 * its default user profile as Autoruns shows them.
 */
export interface OsCoreProcess {
  /** The image's full path, lowercase. */
  readonly image: string;
  /** Its parents' full image paths, lowercase ('system' for the kernel's own process). */
  readonly parents: readonly string[];
  /** RE2 pattern the arguments (the command line after the program, trimmed) match in full, case-insensitive. */
  readonly args: string;
}

const SYS32 = 'c:\\windows\\system32';
const SMSS = `${SYS32}\\smss.exe`;
const WININIT = `${SYS32}\\wininit.exe`;
const WINLOGON = `${SYS32}\\winlogon.exe`;
const SVCHOST = `${SYS32}\\svchost.exe`;
const EXPLORER = 'c:\\windows\\explorer.exe';
const ONEDRIVE_SETUP = 'c:\\windows\\syswow64\\onedrivesetup.exe';

export const OS_CORE_PROCESSES: readonly OsCoreProcess[] = [
  // boot: the session manager, its per-session copies (two hex handles) and what it starts
  { image: SMSS, parents: ['system', SMSS], args: '([0-9a-f]{8} [0-9a-f]{8})?' },
  { image: `${SYS32}\\csrss.exe`, parents: [SMSS], args: 'ObjectDirectory=\\\\Windows .*' },
  { image: WININIT, parents: [SMSS], args: '' },
  { image: WINLOGON, parents: [SMSS], args: '' },
  { image: `${SYS32}\\services.exe`, parents: [WININIT], args: '' },
  { image: `${SYS32}\\lsass.exe`, parents: [WININIT], args: '' },
  { image: `${SYS32}\\lsaiso.exe`, parents: [WININIT], args: '' },
  { image: `${SYS32}\\fontdrvhost.exe`, parents: [WININIT, WINLOGON], args: '' },
  // an interactive logon: the logon screen, the window manager, the user's shell
  { image: `${SYS32}\\logonui.exe`, parents: [WINLOGON], args: '/flags:0x[0-9a-f]+ /state0:0x[0-9a-f]+ /state1:0x[0-9a-f]+' },
  { image: `${SYS32}\\dwm.exe`, parents: [WINLOGON], args: '' },
  { image: `${SYS32}\\userinit.exe`, parents: [WINLOGON], args: '' },
  { image: 'c:\\windows\\explorer.exe', parents: [`${SYS32}\\userinit.exe`], args: '' },
  // the shell's infrastructure, started by the system's service hosts for the session
  { image: `${SYS32}\\sihost.exe`, parents: [SVCHOST], args: '' },
  { image: `${SYS32}\\ctfmon.exe`, parents: [SVCHOST], args: '' },
  { image: `${SYS32}\\rdpclip.exe`, parents: [SVCHOST], args: '' },
  { image: `${SYS32}\\runtimebroker.exe`, parents: [SVCHOST], args: '-Embedding' },
  // what a clean install registers to start with the user's shell (64-bit Windows: OneDrive's set-up is
  // the 32-bit program)
  { image: `${SYS32}\\securityhealthsystray.exe`, parents: [EXPLORER], args: '' },
  { image: ONEDRIVE_SETUP, parents: [EXPLORER], args: '/thfirstsetup' },
  { image: ONEDRIVE_SETUP, parents: [ONEDRIVE_SETUP], args: '/thfirstsetup\\s+/peruser\\s+/childprocess' },
  { image: `${SYS32}\\fsquirt.exe`, parents: [EXPLORER], args: '-Register' },
];

/** A prompt Windows shows when a program is launched: what context calls it in the process's reason. */
export interface LaunchPrompt extends OsCoreProcess {
  /** How a reason names it ("User Account Control's elevation prompt"). */
  readonly prompt: string;
  /**
   * It asks the person at the screen to let the program run (UAC's prompt, SmartScreen's warning),
   * rather than checking it silently: an alert whose own process is unusual is reported when such a
   * prompt let a process of its tree start (context_kept.sql).
   */
  readonly asks: boolean;
  /**
   * The launch it precedes is one the operating system's shell opens (Explorer's double-click on a
   * downloaded file): it is tied only to a start whose parent is one of the operating system's own
   * programs (OS_CORE_PROCESSES' images), not to whatever else starts first.
   */
  readonly shellLaunch?: boolean;
}

/**
 * The prompts Windows shows when a program is launched, as data. Context lists such a prompt in the
 * alert's process tree when a process of the tree starts in a person's session within a minute
 * after it (context/context_window_tree.sql): nothing in the process events ties the prompt to the
 * program but time, and that the program was let through a prompt just then is what an analyst
 * reads in it.
 *
 * - User Account Control's consent.exe: for each elevation it is asked for, the Application
 *   Information service (appinfo, in a service host of the machine's session) starts it there, with
 *   the service host's process id, a size and an address as its arguments: the prompt for consent or
 *   for an administrator's credentials, or (without a window) an auto-elevating program's check. The
 *   program it elevates then starts with the elevated token under the process that asked
 *   (explorer.exe for a double-click, the shell for a command), often in another logon session (the
 *   linked elevated one, or a new one for the credentials typed).
 * - SmartScreen's warning app (CHXSmartScreen.exe of the packaged Microsoft.Windows.AppRep.ChxApp,
 *   "Windows protected your PC"), which the system's COM launcher starts in the user's session when
 *   app reputation stops an unrecognized program downloaded from the internet; the program runs only
 *   if the user chooses to run it anyway. Sysmon records its parent as '-' when it no longer knows
 *   it (an unrecorded parent, '' here, is accepted for this one: the path is in the protected
 *   SystemApps folder and the arguments are its COM server name).
 * - SmartScreen's check (smartscreen.exe -Embedding, the System32 COM server), which the system's
 *   COM launcher starts in the user's session when Explorer asks app reputation about a program
 *   being opened (a downloaded one, marked as from the internet), before its warning when it gives
 *   one. It is a prompt here in the same sense: it precedes the launch it checks, only time ties
 *   them, and a check is never itself the launch (context_window_tree.sql), so it belongs to the
 *   program opened after it, not to the warning that follows it. Its parent may be unrecorded too.
 *
 * Sources: Microsoft, "How User Account Control works" (the AIS service, consent.exe on the secure
 * desktop, auto-elevation); Microsoft Defender SmartScreen documentation (app reputation, the
 * "Windows protected your PC" warning).
 */
export const LAUNCH_PROMPTS: readonly LaunchPrompt[] = [
  { image: `${SYS32}\\consent.exe`, parents: [SVCHOST], args: '\\d+ \\d+ [0-9a-f]+', prompt: "User Account Control's elevation prompt", asks: true },
  {
    image: 'c:\\windows\\systemapps\\microsoft.windows.apprep.chxapp_cw5n1h2txyewy\\chxsmartscreen.exe',
    parents: [SVCHOST, ''], args: '-ServerName:App\\.AppX[0-9a-z]+\\.mca', prompt: "SmartScreen's warning for an unrecognized program",
    asks: true,
  },
  { image: `${SYS32}\\smartscreen.exe`, parents: [SVCHOST, ''], args: '-Embedding', prompt: "SmartScreen's check of a program being opened", asks: false, shellLaunch: true },
];

/**
 * The processes that start a Windows session (the boot's, a console or RDP logon's desktop): their
 * genuine runs (OS_CORE_PROCESSES' rows) mean the host is starting up. For an alert on a network
 * logon whose session ran nothing, what the host starts in the seconds around the logon is taken
 * for that logon's remote execution (sql/context/context_window_tree.sql's remote roots), but not
 * while the host starts a session then: it starts dozens of processes, and time no longer tells the
 * logon's from the start-up's (the OTRF Run-key capture: the RDP client's network logons in the
 * workstation's first minute drew 8-21 of the boot's and the desktop's processes into their reports).
 */
export const SESSION_STARTUP_PROCESSES = ['smss.exe', 'csrss.exe', 'wininit.exe', 'winlogon.exe', 'logonui.exe', 'dwm.exe', 'userinit.exe'] as const;
