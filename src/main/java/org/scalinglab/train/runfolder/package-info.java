/**
 * The run folder: the files one training run leaves, and the one place that knows them. The trainer
 * writes a run folder and every other capability reads it (the sweep to resume and tabulate runs, fit
 * to read the losses, report to show them, forecast to take the measured MFU), so the model lives
 * under {@code train}, beside its writer.
 *
 * <ul>
 *   <li>{@link org.scalinglab.train.runfolder.RunFolder}: the files of one folder, read and written;
 *   <li>{@link org.scalinglab.train.runfolder.RunRecords}: what run.json and result.json hold, with
 *       their {@code schema_version} (absent in folders written before it: version 1);
 *   <li>{@link org.scalinglab.train.runfolder.RunStatus}: how the run stands;
 *   <li>{@link org.scalinglab.train.runfolder.MetricsLog}, {@link org.scalinglab.train.runfolder.MetricsRow}
 *       and {@link org.scalinglab.train.runfolder.MetricsCsv}: metrics.csv written and read;
 *   <li>{@link org.scalinglab.train.runfolder.RunFolders}: the run folders under a results folder.
 * </ul>
 */
package org.scalinglab.train.runfolder;
