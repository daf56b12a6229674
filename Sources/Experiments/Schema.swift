/// The run log schema as an ordered list of migrations; `PRAGMA user_version` records how many
/// have been applied. Append new migrations, never edit old ones: databases in the field were
/// created by them.
enum Schema {
    static let migrations: [String] = [
        // 1: the first release.
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'killed')),
            config TEXT NOT NULL DEFAULT '{}',
            git_commit TEXT,
            device TEXT,
            started_at REAL NOT NULL,
            ended_at REAL
        );
        CREATE TABLE metrics (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            step INTEGER NOT NULL,
            epoch INTEGER,
            name TEXT NOT NULL,
            value REAL NOT NULL,
            wall_time REAL NOT NULL
        );
        CREATE TABLE results (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            dataset TEXT NOT NULL,
            split TEXT NOT NULL,
            metric TEXT NOT NULL,
            value REAL NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE TABLE artifacts (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            path TEXT NOT NULL,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        """,
        // 2: owner process (to detect runs left 'running' by a killed process), curves for
        // reports, indexes, and one value per result key (older logs kept duplicates: keep the last).
        """
        ALTER TABLE runs ADD COLUMN host TEXT;
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN process_start TEXT;
        CREATE INDEX metrics_by_run ON metrics(run_id, name, step);
        DELETE FROM results WHERE rowid NOT IN
            (SELECT MAX(rowid) FROM results GROUP BY run_id, dataset, split, metric);
        CREATE UNIQUE INDEX results_by_key ON results(run_id, dataset, split, metric);
        CREATE TABLE curves (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            name TEXT NOT NULL,
            series TEXT NOT NULL,
            point INTEGER NOT NULL,
            x REAL NOT NULL,
            y REAL NOT NULL
        );
        CREATE INDEX curves_by_run ON curves(run_id, name, series, point);
        """,
        // 3: status 'interrupted' (a run stopped by SIGINT/SIGTERM after saving its checkpoint) and
        // `resumes`, the run a resumed run continues. SQLite cannot alter a CHECK, so the table is
        // rebuilt, ids kept (migrate turns foreign keys off around it, as SQLite's docs prescribe).
        """
        CREATE TABLE runs_v3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'killed', 'interrupted')),
            config TEXT NOT NULL DEFAULT '{}',
            git_commit TEXT,
            device TEXT,
            started_at REAL NOT NULL,
            ended_at REAL,
            host TEXT,
            pid INTEGER,
            process_start TEXT,
            resumes INTEGER REFERENCES runs(id)
        );
        INSERT INTO runs_v3 (id, name, kind, status, config, git_commit, device, started_at, ended_at, host, pid, process_start)
            SELECT id, name, kind, status, config, git_commit, device, started_at, ended_at, host, pid, process_start FROM runs;
        DROP TABLE runs;
        ALTER TABLE runs_v3 RENAME TO runs;
        """,
    ]

    static var currentVersion: Int { migrations.count }

    /// Refuses a database that is not a run log: one holding other tables without LookKit's
    /// version mark (another application's file), or, when `readOnly` (which cannot migrate), an
    /// empty one or one in an older layout.
    static func checkIsRunLog(_ connection: SQLiteConnection, readOnly: Bool) throws {
        let version = Int(try connection.query("PRAGMA user_version").first?.first?.int64 ?? 0)
        let tables = try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap(\.first?.string)
        if version == 0, !tables.isEmpty || readOnly {
            throw RunLogError.notARunLog(path: connection.path, tables: tables)
        }
        guard version <= currentVersion else {
            throw RunLogError.newerSchema(path: connection.path, version: version, supported: currentVersion)
        }
        if readOnly, version < currentVersion {
            throw RunLogError.olderSchema(path: connection.path, version: version, current: currentVersion)
        }
    }

    /// Brings the database to `currentVersion` (or to `target`, for tests of old layouts).
    static func migrate(_ connection: SQLiteConnection, to target: Int = currentVersion) throws {
        // Table rebuilds need foreign keys off (the pragma is a no-op inside a transaction); the
        // check below proves every reference still resolves before the migration commits.
        try connection.execute("PRAGMA foreign_keys = OFF")
        defer { try? connection.execute("PRAGMA foreign_keys = ON") }
        try connection.transaction {
            let version = try connection.query("PRAGMA user_version").first?.first?.int64 ?? 0
            guard version <= Int64(currentVersion) else {
                throw RunLogError.newerSchema(path: connection.path, version: Int(version), supported: currentVersion)
            }
            for index in Int(version)..<max(Int(version), target) {
                try connection.execute(migrations[index])
            }
            if target > version {
                guard try connection.query("PRAGMA foreign_key_check").isEmpty else {
                    throw RunLogError.database(path: connection.path, reason: "migration to schema \(target) left dangling references")
                }
                try connection.execute("PRAGMA user_version = \(target)")
            }
        }
    }
}
